// The current route as reactive state, kept in step with `location.hash`.

import { parseHash, type Route } from "./routes";

class Router {
  route: Route = $state(parseHash(typeof location === "undefined" ? "" : location.hash));
  /** How many navigations happened since start; the shell moves focus only after the first. */
  navigations = $state(0);

  start(): () => void {
    this.route = parseHash(location.hash);
    const onChange = () => {
      this.route = parseHash(location.hash);
      this.navigations += 1;
    };
    window.addEventListener("hashchange", onChange);
    return () => window.removeEventListener("hashchange", onChange);
  }
}

export const router = new Router();
