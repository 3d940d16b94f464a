// Entry of auth-dialog.html (webpack.config.js): runs the sign-in window page with the real globals.
import { runSignInPage } from "./auth-dialog-page";

const status = document.getElementById("status");
void runSignInPage({
  location: window.location,
  // office.js sets window.history.replaceState (and pushState) to null on load; the prototype's
  // method still works, and the tokens must leave the address bar.
  history: { replaceState: (data, unused, url) => History.prototype.replaceState.call(window.history, data, unused, url) },
  office: (globalThis as { Office?: Parameters<typeof runSignInPage>[0]["office"] }).Office,
  opener: window.opener as Window | null,
  say: (words) => {
    if (status) status.textContent = words;
  },
});
