// Entry of auth-dialog.html (webpack.config.js): runs the sign-in window page with the real globals.
import { runSignInPage } from "./auth-dialog-page";

const status = document.getElementById("status");
void runSignInPage({
  location: window.location,
  history: window.history,
  office: (globalThis as { Office?: Parameters<typeof runSignInPage>[0]["office"] }).Office,
  opener: window.opener as Window | null,
  say: (words) => {
    if (status) status.textContent = words;
  },
});
