fn main() {
    penneo_desk::run()
}
