/**
 * Raw HTTP for tests that need what fetch hides: a body streamed chunk by chunk (no
 * Content-Length) or a declared length, and how much of it the client managed to send before
 * the server answered.
 */
import { request as httpRequest } from 'node:http';

export interface StreamedPost {
  status: number;
  body: string;
  /** Bytes the client had written when the answer arrived (or the socket closed). */
  sentBytes: number;
}

export function streamBody(url: string, options: { totalBytes: number; chunkBytes?: number; headers?: Record<string, string>; declareLength?: boolean }): Promise<StreamedPost> {
  const chunk = Buffer.alloc(options.chunkBytes ?? 64 * 1024, 0x20);
  return new Promise((resolve, reject) => {
    let sent = 0;
    let answered = false;
    const req = httpRequest(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(options.declareLength ? { 'content-length': String(options.totalBytes) } : {}), ...options.headers },
    });
    req.on('response', (res) => {
      answered = true;
      const at = sent;
      const parts: Buffer[] = [];
      res.on('data', (part: Buffer) => parts.push(part));
      res.on('end', () => {
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(parts).toString('utf8'), sentBytes: at });
        req.destroy();
      });
    });
    req.on('error', (error) => {
      if (!answered) reject(error);
    });
    const pump = (): void => {
      while (!answered && sent < options.totalBytes) {
        sent += chunk.length;
        if (!req.write(chunk)) {
          req.once('drain', pump);
          return;
        }
      }
      if (!answered) req.end();
    };
    if (options.declareLength) {
      // Only the headers: a server that checks the declared length answers before any byte.
      req.flushHeaders();
      setTimeout(pump, 50);
    } else {
      pump();
    }
  });
}
