// Realtime (GET /api/realtime) for the wasm hosts: each SSE stream the core opens becomes a
// streaming Response fed from the core's broker (src/core/realtime/broker.h).
//
// The core has no threads here, so nothing wakes a stream: the storage engine calls pump() after
// every core call (any call may have published an event) and on a timer (which also sweeps idle
// and expired clients). pump() takes whatever the broker queued into a per-stream pending list,
// tagged with the commit count at the time of the take: every frame queued by then belongs to a
// commit at or below it. A frame leaves only once `released()` reaches its tag, so a durable
// engine never tells a subscriber about a write before that write is persisted — the same rule
// as for the write's own answer (storage/engine.ts). Frames of writes that are rolled back are
// dropped with their streams (closeAll()); EventSource reconnects and the SDK resubscribes.
import { headerPairs, type CoreBackend, type CoreResponse } from "./core.js";

/** At most this much per take: a slow reader gets its frames in pieces, not one huge chunk. */
const TAKE_BYTES = 64 * 1024;
/** Bytes a stream may hold unread before pump() leaves its frames queued in the broker (which drops it if it falls too far behind). */
const HIGH_WATER_BYTES = 1 << 20;
/** How often idle (5 min) and expired (30 min) clients are swept while any stream is open. */
export const REALTIME_SWEEP_MS = 5000;

export interface RealtimeOptions {
  /** The core streams may be pumped from now (a stream opened on another one is over). */
  current: () => CoreBackend | null;
  /** Commits up to this count may be told about (persisted ones; Infinity without durability). */
  released: () => number;
  /** The timer's work: sweep the broker, then pump(). */
  tick: () => void;
}

interface Stream {
  core: CoreBackend;
  clientId: string;
  controller: ReadableStreamDefaultController<Uint8Array>;
  pending: { point: number; data: Uint8Array }[];
  pendingBytes: number;
  /** The broker closed the client: end the stream once the frames taken before that are out. */
  ending: boolean;
}

export class RealtimeStreams {
  private readonly streams = new Set<Stream>();
  private timer: ReturnType<typeof setInterval> | null = null;

  constructor(private readonly options: RealtimeOptions) {}

  get size(): number {
    return this.streams.size;
  }

  /** The streaming Response for a core answer with `streamClient` set (its headers are the core's). */
  open(core: CoreBackend, res: CoreResponse, extra?: [string, string]): Response {
    let stream!: Stream;
    const body = new ReadableStream<Uint8Array>(
      {
        start: (controller) => {
          stream = { core, clientId: res.streamClient, controller, pending: [], pendingBytes: 0, ending: false };
        },
        // The reader caught up: take what backpressure left queued in the broker.
        pull: () => this.pumpOne(stream),
        cancel: () => this.end(stream, true),
      },
      new ByteLengthQueuingStrategy({ highWaterMark: HIGH_WATER_BYTES }),
    );
    this.streams.add(stream);
    this.timer ??= startTimer(this.options.tick);
    return new Response(body, { status: res.status, headers: headerPairs(res, extra) });
  }

  /** Takes every stream's queued frames and releases those whose commits are persisted. */
  pump(): void {
    for (const s of [...this.streams]) this.pumpOne(s);
  }

  /** Ends every stream now, dropping frames not yet released (the core is closing or rolling back). */
  closeAll(): void {
    for (const s of [...this.streams]) {
      s.pending = [];
      this.end(s, false);
    }
  }

  private pumpOne(s: Stream): void {
    if (!this.streams.has(s)) return;
    const core = this.options.current();
    if (core !== s.core) return this.end(s, false); // its App is gone, and the client with it
    try {
      while (!s.ending && (s.controller.desiredSize ?? 0) - s.pendingBytes > 0) {
        const chunk = core.realtimeTake(s.clientId, TAKE_BYTES);
        if (chunk.data.length) {
          s.pending.push({ point: core.commitCount(), data: chunk.data });
          s.pendingBytes += chunk.data.length;
        }
        if (!chunk.open) s.ending = true;
        else if (!chunk.data.length) break;
      }
    } catch {
      // The core trapped; the engine finds out on its next call. This stream cannot go on.
      s.pending = [];
      return this.end(s, false);
    }
    const released = this.options.released();
    while (s.pending.length && s.pending[0].point <= released) {
      const f = s.pending.shift()!;
      s.pendingBytes -= f.data.length;
      s.controller.enqueue(f.data);
    }
    if (s.ending && !s.pending.length) this.end(s, false);
  }

  /** Forgets the stream and its client; `cancelled`: the reader went away (nothing to close). */
  private end(s: Stream, cancelled: boolean): void {
    if (!this.streams.delete(s)) return;
    if (this.options.current() === s.core) {
      try {
        s.core.realtimeDisconnect(s.clientId);
      } catch {
        // a trapped core forgets its clients anyway
      }
    }
    if (!cancelled) {
      try {
        s.controller.close();
      } catch {
        // already closed or errored
      }
    }
    if (!this.streams.size && this.timer !== null) {
      clearInterval(this.timer);
      this.timer = null;
    }
  }
}

function startTimer(tick: () => void): ReturnType<typeof setInterval> {
  const t = setInterval(tick, REALTIME_SWEEP_MS);
  // In Node an open stream alone must not keep the process alive (a server's sockets do that).
  (t as { unref?: () => void }).unref?.();
  return t;
}
