// `larder`: the native command line, styled after `pocketbase`:
//
//   larder serve [--http=127.0.0.1:8090] [--dir=./pb_data]
//   larder superuser upsert|create|update EMAIL PASS [--dir=./pb_data]
//   larder superuser delete|otp EMAIL [--dir=./pb_data]
//   larder superuser ips [IP|CIDR ...] [--dir=./pb_data]
//
// It owns process concerns only (flags, the data directory, signals, the banner); the backend is
// the same App every host runs.
#include <sys/stat.h>
#include <unistd.h>

#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <iostream>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/app/app.h"
#include "core/db/sqlite.h"
#include "core/oauth2/id_token.h"
#include "native/fs_store.h"
#include "native/http_client.h"
#include "native/http_server.h"
#include "native/installer.h"
#include "native/smtp_mailer.h"
#include "native/superuser_cmd.h"

namespace fs = std::filesystem;
using namespace larder;

namespace {

constexpr const char* kUsage =
    "Larder CLI (a PocketBase-compatible backend)\n"
    "\n"
    "Usage:\n"
    "  larder [command]\n"
    "\n"
    "Available Commands:\n"
    "  serve       Starts the web server (default to 127.0.0.1:8090 if no address is specified)\n"
    "  superuser   Manage superusers\n"
    "\n"
    "Flags:\n"
    "      --dir string   the Larder (PocketBase-compatible) data directory (default \"pb_data\")\n"
    "  -h, --help         help for larder\n"
    "  -v, --version      version for larder\n"
    "\n"
    "Use \"larder [command] --help\" for more information about a command.\n";

constexpr const char* kServeUsage =
    "Starts the web server (default to 127.0.0.1:8090 if no address is specified)\n"
    "\n"
    "Usage:\n"
    "  larder serve [flags]\n"
    "\n"
    "Flags:\n"
    "  -h, --help              help for serve\n"
    "      --http string       TCP address to listen for the HTTP server (default \"127.0.0.1:8090\")\n"
    "      --syncNormal        relax durability to SQLite synchronous=NORMAL (a crash of the machine,\n"
    "                          not of the process, may lose the last writes)\n"
    "\n"
    "Global Flags:\n"
    "      --dir string        the Larder (PocketBase-compatible) data directory (default \"pb_data\")\n";

struct Flags {
  std::string command;
  std::vector<std::string> args;  // positionals after the command (superuser subcommands)
  std::string dir = "pb_data";
  std::string http = "127.0.0.1:8090";
  bool sync_normal = false;
  bool help = false;
  bool version = false;
};

// Accepts --name=value and --name value, like cobra.
bool parse_flags(int argc, char** argv, Flags& f, std::string& err) {
  std::vector<std::string> args(argv + 1, argv + argc);
  for (size_t i = 0; i < args.size(); ++i) {
    std::string a = args[i];
    auto value = [&](std::string_view name, std::string& out) -> bool {
      std::string eq = std::string(name) + "=";
      if (a.rfind(eq, 0) == 0) {
        out = a.substr(eq.size());
        return true;
      }
      if (a == name) {
        if (i + 1 >= args.size()) {
          err = "flag needs an argument: " + a;
          return false;
        }
        out = args[++i];
        return true;
      }
      return false;
    };
    if (a == "-h" || a == "--help") f.help = true;
    else if (a == "-v" || a == "--version") f.version = true;
    else if (a == "--syncNormal") f.sync_normal = true;
    else if (value("--dir", f.dir) || value("--http", f.http)) {}
    else if (!err.empty()) return false;
    else if (a.rfind("-", 0) == 0) { err = "unknown flag: " + a; return false; }
    else if (f.command.empty()) f.command = a;
    else if (f.command == "superuser") f.args.push_back(a);
    else { err = "unexpected argument: " + a; return false; }
    if (!err.empty()) return false;
  }
  return true;
}

// Creates the data directory and proves it is writable before anything else touches it.
bool prepare_data_dir(const std::string& dir, std::string& err) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) {
    err = "cannot create the data directory \"" + dir + "\": " + ec.message();
    return false;
  }
  std::string probe = dir + "/.larder_write_probe";
  FILE* fp = std::fopen(probe.c_str(), "w");
  if (!fp) {
    err = "the data directory \"" + dir + "\" is not writable: " + std::strerror(errno);
    return false;
  }
  std::fclose(fp);
  std::remove(probe.c_str());
  return true;
}

std::string timestamp() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  localtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y/%m/%d %H:%M:%S", &tm);
  return buf;
}

// PocketBase's PB_ID_TOKEN_LEEWAY (seconds; Go's strconv.Atoi: optional sign, decimal digits,
// anything else ignored) for the id_token time checks of OAuth2 sign-ins.
void read_id_token_leeway() {
  const char* v = std::getenv("PB_ID_TOKEN_LEEWAY");
  if (!v || !*v) return;
  std::string_view s = v;
  int64_t n = 0;
  std::string_view digits = (s[0] == '+' || s[0] == '-') ? s.substr(1) : s;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), n);
  if (digits.empty() || ec != std::errc() || end != digits.data() + digits.size()) return;
  oauth2::set_id_token_leeway_seconds(s[0] == '-' ? -n : n);
}

int serve(const Flags& f) {
  read_id_token_leeway();
  native::ServerConfig sc;
  size_t colon = f.http.rfind(':');
  if (colon == std::string::npos) {
    std::fprintf(stderr, "Error: invalid --http address \"%s\" (expected host:port)\n", f.http.c_str());
    return 1;
  }
  sc.host = f.http.substr(0, colon);
  if (sc.host.empty()) sc.host = "0.0.0.0";
  try {
    int port = std::stoi(f.http.substr(colon + 1));
    if (port < 0 || port > 65535) throw std::out_of_range("port");
    sc.port = static_cast<uint16_t>(port);
  } catch (const std::exception&) {
    std::fprintf(stderr, "Error: invalid port in --http address \"%s\"\n", f.http.c_str());
    return 1;
  }

  std::string err;
  if (!prepare_data_dir(f.dir, err)) {
    std::fprintf(stderr, "Error: %s\n", err.c_str());
    return 1;
  }

  AppConfig ac;
  ac.data_dir = f.dir;
  ac.journal_mode = "WAL";
  ac.synchronous = f.sync_normal ? "NORMAL" : "FULL";
  ac.max_readers = 16;
  std::unique_ptr<App> app;
  try {
    app = std::make_unique<App>(ac);
    // Record files under pb_data/storage/, PocketBase's local layout.
    app->set_file_store(std::make_unique<native::FsStore>(f.dir + "/storage"));
    // Outgoing HTTP for OAuth2 (code exchange, user info).
    app->set_http_client(std::make_unique<native::BeastHttpClient>());
  } catch (const std::exception& e) {
    std::fprintf(stderr, "Error: %s\n", e.what());
    return 1;
  }

  // Real mail whenever settings.smtp.enabled, decided per message from the current settings
  // (so PATCH /api/settings applies at once); the in-memory outbox otherwise.
  App* app_ptr = app.get();
  app->set_mailer(std::make_unique<native::SmtpMailer>(
      [app_ptr] { return native::smtp_config_from(app_ptr->settings()->value); }));

  native::HttpServer server(*app, sc);
  try {
    server.listen();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "Error: %s\n", e.what());
    return 1;
  }
  std::string base = "http://" + sc.host + ":" + std::to_string(server.port());
  std::printf("%s Server started at %s\n", timestamp().c_str(), base.c_str());
  std::printf("\u251c\u2500 REST API:  %s/api/\n", base.c_str());
  std::printf("\u2514\u2500 Data dir:  %s\n", fs::absolute(f.dir).lexically_normal().c_str());
  try {
    if (auto token = native::installer_token(*app)) std::fputs(native::installer_banner(base, *token).c_str(), stdout);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "larder: cannot prepare the superuser installer: %s\n", e.what());
  }
  std::fflush(stdout);
  server.run(/*handle_signals=*/true);
  std::printf("%s Server stopped\n", timestamp().c_str());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  Flags f;
  std::string err;
  if (!parse_flags(argc, argv, f, err)) {
    std::fprintf(stderr, "Error: %s\n\n%s", err.c_str(), f.command == "serve" ? kServeUsage : kUsage);
    return 1;
  }
  if (f.version) {
    std::printf("larder version %s (SQLite %s)\n", LARDER_VERSION, std::string(db::sqlite_version()).c_str());
    return 0;
  }
  if (f.command.empty()) {
    std::fputs(kUsage, f.help ? stdout : stderr);
    return f.help ? 0 : 1;
  }
  if (f.command == "serve") {
    if (f.help) {
      std::fputs(kServeUsage, stdout);
      return 0;
    }
    return serve(f);
  }
  if (f.command == "superuser") {
    if (f.help) {
      std::fputs(native::kSuperuserUsage, stdout);
      return 0;
    }
    std::string err2;
    if (!prepare_data_dir(f.dir, err2)) {
      std::fprintf(stderr, "Error: %s\n", err2.c_str());
      return 1;
    }
    return native::run_superuser(f.dir, f.args);
  }
  std::fprintf(stderr, "Error: unknown command \"%s\" for \"larder\"\nRun 'larder --help' for usage.\n", f.command.c_str());
  return 1;
}
