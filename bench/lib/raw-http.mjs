// A minimal HTTP/1.1 client over one keep-alive `net` socket, for benchmarks that must not
// measure fetch/undici: requests go out one at a time; answers need Content-Length (or no body:
// 204/304), which is what Larder and the bench baselines send for non-streaming answers.
import net from "node:net";

export class RawHttp {
  constructor(host, port) {
    this.host = host;
    this.port = port;
    this.sock = null;
    this.queue = Promise.resolve();
  }

  /** Sends one request; resolves {status, headers, body: Buffer|null, bytes}. keepBody=false counts bytes only. */
  request(method, path, { headers = {}, body, keepBody = true } = {}) {
    const run = () => this.#send(method, path, headers, body, keepBody);
    const p = this.queue.then(run, run);
    this.queue = p.catch(() => {});
    return p;
  }

  close() {
    this.sock?.destroy();
    this.sock = null;
  }

  #connect() {
    return new Promise((resolve, reject) => {
      const s = net.connect({ host: this.host, port: this.port, noDelay: true });
      s.once("connect", () => {
        s.off("error", reject);
        s.on("error", () => {});
        resolve(s);
      });
      s.once("error", reject);
    });
  }

  async #send(method, path, headers, body, keepBody) {
    if (!this.sock || this.sock.destroyed) this.sock = await this.#connect();
    const sock = this.sock;
    const len = body ? body.length : 0;
    let head = `${method} ${path} HTTP/1.1\r\nHost: ${this.host}:${this.port}\r\n`;
    for (const [k, v] of Object.entries(headers)) head += `${k}: ${v}\r\n`;
    if (body || method === "POST") head += `Content-Length: ${len}\r\n`;
    head += "\r\n";
    return new Promise((resolve, reject) => {
      let buf = Buffer.alloc(0);
      let res = null; // parsed head once seen
      let need = 0;
      const parts = [];
      const done = (err, v) => {
        sock.off("data", onData);
        sock.off("close", onClose);
        if (err) {
          sock.destroy();
          reject(err);
        } else resolve(v);
      };
      const onClose = () => done(new Error(`connection closed during ${method} ${path}`));
      const onData = (d) => {
        if (!res) {
          buf = buf.length ? Buffer.concat([buf, d]) : d;
          const end = buf.indexOf("\r\n\r\n");
          if (end < 0) return;
          const lines = buf.subarray(0, end).toString("latin1").split("\r\n");
          const status = Number(lines[0].split(" ")[1]);
          const hs = {};
          for (const l of lines.slice(1)) {
            const i = l.indexOf(":");
            hs[l.slice(0, i).trim().toLowerCase()] = l.slice(i + 1).trim();
          }
          if (hs["transfer-encoding"]) return done(new Error(`unexpected chunked answer to ${method} ${path}`));
          res = { status, headers: hs, body: null, bytes: 0 };
          need = status === 204 || status === 304 || method === "HEAD" ? 0 : Number(hs["content-length"] ?? 0);
          d = buf.subarray(end + 4);
        }
        if (d.length) {
          res.bytes += d.length;
          if (keepBody) parts.push(d);
        }
        if (res.bytes >= need) {
          if (keepBody) res.body = Buffer.concat(parts);
          if (res.headers.connection === "close") this.close();
          done(null, res);
        }
      };
      sock.on("data", onData);
      sock.once("close", onClose);
      sock.write(head);
      if (body) sock.write(body);
    });
  }
}

/** JSON request helper on a RawHttp; throws unless the status is `expect`. */
export async function jsonRequest(conn, method, path, value, { expect = 200, headers = {} } = {}) {
  const body = value === undefined ? undefined : Buffer.from(JSON.stringify(value));
  const h = body ? { "Content-Type": "application/json", ...headers } : headers;
  const res = await conn.request(method, path, { headers: h, body });
  if (res.status !== expect) throw new Error(`${method} ${path}: ${res.status} ${res.body?.toString()}`);
  return res.body?.length ? JSON.parse(res.body) : null;
}
