// Method + path pattern matching, in the style of Go 1.22's ServeMux (which PocketBase uses):
// patterns like "/api/collections/{collection}/records/{id}" and a trailing "{rest...}";
// the most specific pattern wins (a literal segment beats a parameter); GET also answers HEAD.
//
// The router only matches; it returns the id the caller registered, so it stays independent of
// what a handler is.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace larder::http {

struct PathParams {
  std::vector<std::pair<std::string, std::string>> values;  // percent-decoded
  std::string_view get(std::string_view name) const {
    for (const auto& [k, v] : values)
      if (k == name) return v;
    return {};
  }
};

class Router {
 public:
  struct Match {
    size_t route_id;
    PathParams params;
  };

  // Registers a pattern for one method; returns nothing, the id is the caller's.
  void add(std::string method, std::string_view pattern, size_t route_id);

  // The best route for method+path; nullopt when nothing matches.
  std::optional<Match> match(std::string_view method, std::string_view raw_path) const;

 private:
  struct Segment {
    enum Kind { Literal, Param, Rest } kind;
    std::string text;  // literal text or parameter name
  };
  struct Route {
    std::string method;
    std::vector<Segment> segments;
    size_t id;
  };
  std::vector<Route> routes_;  // kept sorted from most to least specific
};

}  // namespace larder::http
