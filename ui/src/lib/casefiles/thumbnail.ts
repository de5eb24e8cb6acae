// First-page thumbnails of the PDFs in a casefile draft, drawn with pdf.js. The webview never
// reads files itself: the backend's file check allows each accepted file on the `asset:`
// protocol, and pdf.js fetches it from there (`connect-src asset: http://asset.localhost`). The
// pdf.js worker is bundled by Vite and served from the app itself (`worker-src 'self'`); eval and
// WebAssembly are off, so the strict CSP holds.
//
// When a thumbnail cannot be drawn the row shows the page count alone; `thumbnailProblem` says why.

import { convertFileSrc } from "@tauri-apps/api/core";

export type Thumbnail = { kind: "image"; url: string } | { kind: "none"; reason: string };

type PdfJs = typeof import("pdfjs-dist");

let pdfjs: Promise<PdfJs> | null = null;

async function loadPdfJs(): Promise<PdfJs> {
  if (!pdfjs) {
    pdfjs = (async () => {
      const [lib, worker] = await Promise.all([import("pdfjs-dist"), import("pdfjs-dist/build/pdf.worker.min.mjs?url")]);
      lib.GlobalWorkerOptions.workerSrc = worker.default;
      return lib;
    })();
    pdfjs.catch(() => {
      pdfjs = null;
    });
  }
  return pdfjs;
}

const cache = new Map<string, Promise<Thumbnail>>();

function reasonOf(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  return msg.trim() || "pdf.js could not read the file";
}

/**
 * The first page of the PDF at `path` as an image URL (`data:`, allowed by `img-src`), `width`
 * CSS pixels wide. `key` (the file's hash) makes a changed file render again. Never throws.
 */
export function thumbnailOf(path: string, key: string, width = 112): Promise<Thumbnail> {
  const id = `${path}\u0000${key}\u0000${width}`;
  let p = cache.get(id);
  if (!p) {
    p = render(path, width).catch((e: unknown): Thumbnail => ({ kind: "none", reason: reasonOf(e) }));
    cache.set(id, p);
  }
  return p;
}

async function render(path: string, width: number): Promise<Thumbnail> {
  const lib = await loadPdfJs();
  const task = lib.getDocument({
    url: convertFileSrc(path),
    isEvalSupported: false,
    useWasm: false,
    enableXfa: false,
    disableAutoFetch: true,
    disableStream: true,
  });
  try {
    const doc = await task.promise;
    const page = await doc.getPage(1);
    const scale = (width * Math.min(2, globalThis.devicePixelRatio || 1)) / page.getViewport({ scale: 1 }).width;
    const viewport = page.getViewport({ scale });
    const canvas = document.createElement("canvas");
    canvas.width = Math.max(1, Math.floor(viewport.width));
    canvas.height = Math.max(1, Math.floor(viewport.height));
    const ctx = canvas.getContext("2d");
    if (!ctx) return { kind: "none", reason: "this window cannot draw on a canvas" };
    ctx.fillStyle = "#ffffff";
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    await page.render({ canvas, canvasContext: ctx, viewport }).promise;
    return { kind: "image", url: canvas.toDataURL("image/png") };
  } finally {
    void task.destroy();
  }
}
