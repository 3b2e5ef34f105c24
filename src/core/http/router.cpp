// Pattern router.
#include "core/http/router.h"

#include <algorithm>
#include <stdexcept>

#include "core/http/url.h"

namespace larder::http {

namespace {

std::vector<std::string_view> split_path(std::string_view path) {
  std::vector<std::string_view> out;
  if (!path.empty() && path.front() == '/') path.remove_prefix(1);
  while (true) {
    size_t slash = path.find('/');
    out.push_back(path.substr(0, slash));
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
  }
  return out;
}

}  // namespace

void Router::add(std::string method, std::string_view pattern, size_t route_id) {
  Route r{std::move(method), {}, route_id};
  for (std::string_view seg : split_path(pattern)) {
    if (seg.size() > 2 && seg.front() == '{' && seg.back() == '}') {
      std::string_view name = seg.substr(1, seg.size() - 2);
      if (name.size() > 3 && name.substr(name.size() - 3) == "...") {
        r.segments.push_back({Segment::Rest, std::string(name.substr(0, name.size() - 3))});
      } else {
        r.segments.push_back({Segment::Param, std::string(name)});
      }
    } else {
      r.segments.push_back({Segment::Literal, std::string(seg)});
    }
  }
  routes_.push_back(std::move(r));
  // Most specific first: compare segment kinds position by position (Literal < Param < Rest),
  // then longer patterns first.
  std::stable_sort(routes_.begin(), routes_.end(), [](const Route& a, const Route& b) {
    size_t n = std::min(a.segments.size(), b.segments.size());
    for (size_t i = 0; i < n; ++i)
      if (a.segments[i].kind != b.segments[i].kind) return a.segments[i].kind < b.segments[i].kind;
    return a.segments.size() > b.segments.size();
  });
}

std::optional<Router::Match> Router::match(std::string_view method, std::string_view raw_path) const {
  std::vector<std::string_view> parts = split_path(raw_path);
  for (const Route& r : routes_) {
    if (r.method != method && !(method == "HEAD" && r.method == "GET")) continue;
    Match m{r.id, {}};
    bool ok = true;
    size_t i = 0;
    for (; i < r.segments.size() && ok; ++i) {
      const Segment& s = r.segments[i];
      if (s.kind == Segment::Rest) {
        std::string rest;
        for (size_t k = i; k < parts.size(); ++k) {
          if (k > i) rest += '/';
          rest += parts[k];
        }
        auto decoded = percent_decode(rest, false);
        if (!decoded) { ok = false; break; }
        m.params.values.emplace_back(s.text, std::move(*decoded));
        i = r.segments.size();
        break;
      }
      if (i >= parts.size()) { ok = false; break; }
      auto decoded = percent_decode(parts[i], false);
      if (!decoded) { ok = false; break; }
      if (s.kind == Segment::Literal) {
        ok = (*decoded == s.text);
      } else {
        if (decoded->empty()) ok = false;
        else m.params.values.emplace_back(s.text, std::move(*decoded));
      }
    }
    if (!ok) continue;
    bool has_rest = !r.segments.empty() && r.segments.back().kind == Segment::Rest;
    if (!has_rest && parts.size() != r.segments.size()) continue;
    return m;
  }
  return std::nullopt;
}

}  // namespace larder::http
