// Requests Node would answer before Express sees them, with an empty body: request line and headers
// over `maxHeaderSize` (431), a malformed request line (400), an HTTP/1.1 request without Host (400).
// The simulator answers them in its own format instead: the cashier's HTML page for a cashier link,
// `{code, message}` everywhere else (the control API's errors, and the shape of Alipay's v3 errors).
import { createServer, maxHeaderSize, STATUS_CODES, type IncomingMessage, type RequestListener, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { cashierMessage } from './cashier/page.ts';
import { simulatorErrors } from './errors.ts';

interface Refusal {
  readonly code: 'BAD_REQUEST' | 'HEADERS_TOO_LARGE';
  readonly message: string;
}

const isCashierPath = (path: string | undefined) => path !== undefined && /^\/cashier(?:[/?]|$)/.test(path);

/** The answer's content type and body in the simulator's format for `path`. */
function formatted(refusal: Refusal, path: string | undefined): { type: string; body: string } {
  if (isCashierPath(path)) return { type: 'text/html; charset=utf-8', body: cashierMessage('请求有误', `${refusal.message}. Start the payment again from the merchant.`) };
  return { type: 'application/json; charset=utf-8', body: JSON.stringify({ code: refusal.code, message: refusal.message }) };
}

function parseRefusal(errorCode: string | undefined): Refusal {
  if (errorCode === 'HPE_HEADER_OVERFLOW') {
    return { code: 'HEADERS_TOO_LARGE', message: `the request line and headers are larger than ${maxHeaderSize} bytes; shorten the URL, the query or the headers` };
  }
  return { code: 'BAD_REQUEST', message: `the request is not valid HTTP/1.1 (${(errorCode ?? 'parse error').slice(0, 40)}); check the client` };
}

/** The path of the request line, when the bytes Node read begin with one. */
function requestPath(rawPacket: unknown): string | undefined {
  if (!Buffer.isBuffer(rawPacket)) return undefined;
  const line = rawPacket.subarray(0, 2048).toString('latin1').split('\r\n')[0] ?? '';
  return /^[A-Z]+ (\/\S*)/.exec(line)?.[1];
}

/** The whole HTTP answer to a request Node could not parse, written straight on the socket. */
export function unparsedRequestAnswer(errorCode: string | undefined, path: string | undefined): string {
  const refusal = parseRefusal(errorCode);
  const { type, body } = formatted(refusal, path);
  const status = simulatorErrors[refusal.code];
  return [`HTTP/1.1 ${status} ${STATUS_CODES[status]}`, `content-type: ${type}`, `content-length: ${Buffer.byteLength(body)}`, 'connection: close', '', body].join('\r\n');
}

const missingHost: Refusal = { code: 'BAD_REQUEST', message: 'an HTTP/1.1 request needs a Host header; check the client' };

/** The simulator's HTTP server: `app` behind the formatted answers above. */
export function createSimulatorHttpServer(app: RequestListener): Server {
  // Node's own Host check answers with an empty body, so the check is made here instead.
  const server = createServer({ requireHostHeader: false }, (req: IncomingMessage, res: ServerResponse) => {
    if (req.headers.host !== undefined || req.httpVersion !== '1.1') return app(req, res);
    const { type, body } = formatted(missingHost, req.url);
    res.writeHead(simulatorErrors[missingHost.code], { 'content-type': type, 'content-length': Buffer.byteLength(body), connection: 'close' }).end(body);
  });
  server.on('clientError', (error: NodeJS.ErrnoException & { rawPacket?: unknown }, socket: Duplex) => {
    if (error.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    socket.end(unparsedRequestAnswer(error.code, requestPath(error.rawPacket)));
  });
  return server;
}
