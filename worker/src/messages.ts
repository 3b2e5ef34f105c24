// The worker side of the page ↔ worker protocol (sdk/src/protocol.ts, sdk/src/client.ts):
// export, import, integrity check, status. Replies go back on the MessageChannel port the page
// sent; large byte arrays are transferred, not copied.
import { PROTOCOL, type ClientReply, type ClientRequest, type WorkerStatus } from "../../sdk/src/protocol.js";
import { isQuotaError } from "../../sdk/src/storage/adapter.js";
import { ImportError, type Engine } from "../../sdk/src/storage/engine.js";

export function isClientRequest(data: unknown): data is ClientRequest {
  return (data as { protocol?: unknown } | null)?.protocol === PROTOCOL;
}

async function answer(engine: Engine, version: string, req: ClientRequest): Promise<{ value: unknown; transfer: Transferable[] }> {
  switch (req.op) {
    case "export": {
      const bytes = await engine.exportDatabase();
      return { value: bytes, transfer: [bytes.buffer] };
    }
    case "import":
      await engine.importDatabase(req.db, req.files ?? []);
      return { value: null, transfer: [] };
    case "integrity-check":
      return { value: await engine.integrityCheck(), transfer: [] };
    case "compact":
      await engine.compact();
      return { value: null, transfer: [] };
    case "status": {
      await engine.start();
      const status: WorkerStatus = { ...engine.status(), version };
      return { value: status, transfer: [] };
    }
    case "outbox":
      return { value: await engine.outbox(req.clear), transfer: [] };
    default:
      throw new ImportError(`unknown operation ${(req as { op?: string }).op}`);
  }
}

export async function handleClientMessage(engine: Engine, version: string, req: ClientRequest, port: MessagePort): Promise<void> {
  let reply: ClientReply;
  let transfer: Transferable[] = [];
  try {
    const r = await answer(engine, version, req);
    reply = { ok: true, value: r.value };
    transfer = r.transfer;
  } catch (err) {
    const status = err instanceof ImportError ? 400 : isQuotaError(err) ? 507 : 500;
    reply = { ok: false, error: err instanceof Error ? err.message : String(err), status };
  }
  port.postMessage(reply, transfer);
}
