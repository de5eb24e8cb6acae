import { mount } from "svelte";
// First: the UI language is settled before any component words a message.
import "./lib/i18n.svelte";
import "./app.css";
import App from "./App.svelte";

const target = document.getElementById("app");
if (!target) throw new Error("Penneo Desk: the #app element is missing from index.html");

export default mount(App, { target });
