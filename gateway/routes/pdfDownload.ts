/**
 * Handing an Exact attachment on as a PDF download: a `Content-Disposition` every browser reads
 * whatever the file is called in Exact, and a body that is a PDF or nothing.
 */

// Control and format characters (NUL, CR/LF, the bidi marks that turn "fdp.exe" around), lone
// surrogates and line separators: none belongs in a file name, and some break the header.
const unsafe = /[\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}]/gu;
const mostChars = 150;

/** The file name as it will be offered: safe characters only, ending in `.pdf`, the fallback when nothing is left. */
export function downloadName(fileName: string | null, fallback: string): string {
  const name = (fileName ?? '').replace(unsafe, '').replace(/[\\/]/g, '_').trim();
  if (!/^.+\.pdf$/i.test(name)) return fallback;
  return name.length > mostChars ? `${name.slice(0, mostChars - 4)}.pdf` : name;
}

/**
 * `attachment` with an ASCII `filename` (accents dropped, anything else `_`) for old clients and
 * the real name as RFC 5987 `filename*` (UTF-8, percent-encoded). A header value must be Latin-1
 * without controls, or `new Response` throws: the original name never goes in as it is.
 */
export function attachmentDisposition(name: string): string {
  const ascii = name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/[^\x20-\x7e]|["\\]/g, '_');
  // attr-char (RFC 5987) leaves out ' ( ) *, which encodeURIComponent keeps.
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

const pdfMagic = [0x25, 0x50, 0x44, 0x46, 0x2d]; // %PDF-

/**
 * The body if it starts like a PDF (`%PDF-`), read on from where the check stopped; otherwise
 * undefined, and the source is cancelled so the connection to Exact is not left half read.
 */
export async function pdfBody(source: ReadableStream<Uint8Array>): Promise<ReadableStream<Uint8Array> | undefined> {
  const reader = source.getReader();
  const head: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < pdfMagic.length) {
      const { done, value } = await reader.read();
      if (done) break;
      head.push(value);
      size += value.byteLength;
    }
  } catch (error) {
    await reader.cancel().catch(() => undefined);
    throw error;
  }
  const first = Buffer.concat(head).subarray(0, pdfMagic.length);
  if (!pdfMagic.every((byte, i) => first[i] === byte)) {
    await reader.cancel().catch(() => undefined);
    return undefined;
  }
  return new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of head) controller.enqueue(chunk);
    },
    async pull(controller) {
      const { done, value } = await reader.read();
      if (done) controller.close();
      else controller.enqueue(value);
    },
    cancel: (reason) => reader.cancel(reason),
  });
}
