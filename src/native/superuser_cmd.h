// `larder superuser upsert|create|update EMAIL PASS`, `delete|otp EMAIL` and `ips [IP|CIDR ...]`:
// PocketBase's superuser commands (cmd/superuser.go), the way to bootstrap a superuser without PocketBase's
// installer UI and to recover from a superuser IP whitelist that locks everyone out.
#pragma once

#include <string>
#include <vector>

namespace larder::native {

extern const char* const kSuperuserUsage;

// `args` are the positionals after "superuser" (subcommand first). Prints like cobra with
// SilenceUsage (errors as "Error: …" on stderr) and returns the process exit code.
int run_superuser(const std::string& data_dir, const std::vector<std::string>& args);

}  // namespace larder::native
