// Copying a signing link or a redirect URI. The backend writes the system clipboard (a webview
// allows a clipboard write only inside the click itself, and a signing link arrives from Penneo
// after it); where the backend cannot, the clipboard API where the webview allows it, and last the
// classic select-and-copy on a hidden text field (WebKitGTK allows it inside a click).
import { backend } from "../backend";

export async function copyText(text: string): Promise<boolean> {
  try {
    await backend.copyToClipboard(text);
    return true;
  } catch {
    /* no backend clipboard here: the webview's own ways */
  }
  try {
    if (typeof navigator !== "undefined" && navigator.clipboard?.writeText) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch {
    /* fall through to the older way */
  }
  if (typeof document === "undefined") return false;
  const field = document.createElement("textarea");
  field.value = text;
  field.setAttribute("readonly", "");
  field.className = "visually-hidden";
  document.body.appendChild(field);
  field.select();
  let ok: boolean;
  try {
    ok = document.execCommand("copy");
  } catch {
    ok = false;
  }
  field.remove();
  return ok;
}
