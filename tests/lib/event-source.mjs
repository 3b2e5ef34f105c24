// A minimal EventSource over fetch, for Node (which has none): enough of the WHATWG interface for
// the pocketbase SDK's RealtimeService — named events, lastEventId, onerror, close(). No
// automatic reconnection (the SDK does its own).
export class EventSource {
  static CONNECTING = 0;
  static OPEN = 1;
  static CLOSED = 2;
  /** The fetch new instances use: a test may point it at an in-process backend. */
  static fetch = (url, init) => fetch(url, init);

  constructor(url) {
    this.url = String(url);
    this.readyState = EventSource.CONNECTING;
    this.onopen = null;
    this.onmessage = null;
    this.onerror = null;
    this._listeners = new Map();
    this._abort = new AbortController();
    this._run().catch((err) => this._fail(err));
  }

  addEventListener(type, fn) {
    if (!this._listeners.has(type)) this._listeners.set(type, new Set());
    this._listeners.get(type).add(fn);
  }

  removeEventListener(type, fn) {
    this._listeners.get(type)?.delete(fn);
  }

  close() {
    this.readyState = EventSource.CLOSED;
    this._abort.abort();
    // An in-process Response ignores the abort signal: cancel its body too.
    this._reader?.cancel().catch(() => {});
  }

  _dispatch(type, event) {
    const handler = this[`on${type}`];
    if (typeof handler === "function") handler.call(this, event);
    for (const fn of [...(this._listeners.get(type) ?? [])]) fn.call(this, event);
  }

  _fail(err) {
    if (this.readyState === EventSource.CLOSED) return;
    this.readyState = EventSource.CLOSED;
    this._dispatch("error", { type: "error", error: err });
  }

  async _run() {
    const res = await EventSource.fetch(this.url, { headers: { Accept: "text/event-stream" }, signal: this._abort.signal });
    if (!res.ok || !res.body) throw new Error(`EventSource: HTTP ${res.status}`);
    if (this.readyState === EventSource.CLOSED) return void res.body.cancel().catch(() => {});
    this.readyState = EventSource.OPEN;
    this._dispatch("open", { type: "open" });
    const decoder = new TextDecoder();
    let buf = "";
    let lastEventId = "";
    let fields = { event: "", data: [] };
    this._reader = res.body.getReader();
    for (;;) {
      const { value: chunk, done } = await this._reader.read();
      if (done) break;
      buf += decoder.decode(chunk, { stream: true });
      let nl;
      while ((nl = buf.search(/\r\n|\n|\r/)) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + (buf.startsWith("\r\n", nl) ? 2 : 1));
        if (line === "") {
          if (fields.data.length) {
            const type = fields.event || "message";
            this._dispatch(type, { type, data: fields.data.join("\n"), lastEventId });
          }
          fields = { event: "", data: [] };
          continue;
        }
        if (line.startsWith(":")) continue;
        const colon = line.indexOf(":");
        const name = colon < 0 ? line : line.slice(0, colon);
        let value = colon < 0 ? "" : line.slice(colon + 1);
        if (value.startsWith(" ")) value = value.slice(1);
        if (name === "event") fields.event = value;
        else if (name === "data") fields.data.push(value);
        else if (name === "id") lastEventId = value;
      }
    }
    this._fail(new Error("EventSource: stream ended"));
  }
}
