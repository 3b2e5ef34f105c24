// HostIoNeeded: how a host adapter that cannot block asks for I/O.
//
// The core is synchronous and never does I/O itself; hosts plug adapters into it (a FileStore,
// an HTTP client). Native adapters simply block. In the wasm host every real I/O is an async JS
// call (OPFS, fetch), so its adapters answer from facts the host supplied, and when a fact is
// missing they throw HostIoNeeded. App::handle lets it through; the host fetches what was asked
// for, hands it to the adapter, and runs the same request again from the start.
//
// That is only sound because of one rule for handlers: everything that may need host I/O
// happens before any side effect (database writes are inside a transaction that the throw rolls
// back; nothing else may be done first). It is deliberately not a std::exception, so the
// handlers' `catch (const std::exception&)` blocks that turn failures into error answers never
// swallow it.
#pragma once

#include <string>

namespace larder {

struct HostIoNeeded {
  std::string kind;  // what to do: "stat", "read" (files), "fetch" (HTTP)
  std::string key;   // which object: a storage key, a request's cache key
};

}  // namespace larder
