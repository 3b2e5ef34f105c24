// multipart/form-data parser.
#include "core/http/multipart.h"

#include <stdexcept>

#include "core/http/headers.h"

namespace larder::http {

namespace {

constexpr size_t kMaxParts = 1000;
constexpr size_t kMaxHeaderBytes = 16 << 10;  // per part

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

}  // namespace

std::optional<std::string> header_param(std::string_view header, std::string_view param) {
  size_t i = header.find(';');
  while (i != std::string_view::npos) {
    ++i;
    while (i < header.size() && (header[i] == ' ' || header[i] == '\t')) ++i;
    size_t eq = header.find('=', i);
    if (eq == std::string_view::npos) return std::nullopt;
    std::string_view key = trim(header.substr(i, eq - i));
    size_t v = eq + 1;
    std::string value;
    if (v < header.size() && header[v] == '"') {
      ++v;
      while (v < header.size() && header[v] != '"') {
        if (header[v] == '\\' && v + 1 < header.size()) ++v;
        value += header[v++];
      }
      if (v >= header.size()) return std::nullopt;  // unterminated quote
      ++v;
    } else {
      size_t end = header.find(';', v);
      value = std::string(trim(header.substr(v, end == std::string_view::npos ? std::string_view::npos : end - v)));
      v = end == std::string_view::npos ? header.size() : end;
    }
    if (iequals(key, param)) return value;
    i = header.find(';', v);
  }
  return std::nullopt;
}

std::optional<std::string> multipart_boundary(std::string_view content_type) {
  auto b = header_param(content_type, "boundary");
  if (!b || b->empty() || b->size() > 70) return std::nullopt;
  return b;
}

std::vector<FormPart> parse_multipart(std::string_view body, std::string_view boundary) {
  if (boundary.empty()) throw MultipartError("missing boundary");
  const std::string delim = "--" + std::string(boundary);
  std::vector<FormPart> parts;

  // The first delimiter may be preceded by a preamble.
  size_t pos;
  if (body.substr(0, delim.size()) == delim) {
    pos = delim.size();
  } else {
    size_t first = body.find("\r\n" + delim);
    if (first == std::string_view::npos) throw MultipartError("missing first boundary");
    pos = first + 2 + delim.size();
  }
  const std::string next_delim = "\r\n" + delim;

  for (;;) {
    // After a delimiter: "--" ends the body, "\r\n" starts a part (transport padding allowed).
    while (pos < body.size() && (body[pos] == ' ' || body[pos] == '\t')) ++pos;
    if (body.substr(pos, 2) == "--") return parts;
    if (body.substr(pos, 2) != "\r\n") throw MultipartError("malformed boundary line");
    pos += 2;
    if (parts.size() >= kMaxParts) throw MultipartError("too many parts");

    size_t header_end = body.find("\r\n\r\n", pos);
    size_t header_len;
    if (body.substr(pos, 2) == "\r\n") {  // a part with no headers
      header_end = pos;
      header_len = 0;
    } else {
      if (header_end == std::string_view::npos) throw MultipartError("truncated part headers");
      header_len = header_end - pos;
    }
    if (header_len > kMaxHeaderBytes) throw MultipartError("part headers too large");

    FormPart part;
    std::string_view headers = body.substr(pos, header_len);
    bool has_disposition = false;
    while (!headers.empty()) {
      size_t nl = headers.find("\r\n");
      std::string_view line = headers.substr(0, nl);
      headers = nl == std::string_view::npos ? std::string_view{} : headers.substr(nl + 2);
      size_t colon = line.find(':');
      if (colon == std::string_view::npos) throw MultipartError("malformed part header");
      std::string_view name = trim(line.substr(0, colon));
      std::string_view value = trim(line.substr(colon + 1));
      if (iequals(name, "Content-Disposition")) {
        has_disposition = true;
        auto n = header_param(value, "name");
        if (n) part.name = *n;
        part.filename = header_param(value, "filename");
      } else if (iequals(name, "Content-Type")) {
        part.content_type = std::string(value);
      } else if (iequals(name, "X-Larder-Staged")) {
        part.staged = std::string(value);
      }
    }
    pos = header_len == 0 ? pos + 2 : header_end + 4;

    size_t end = body.find(next_delim, pos);
    if (end == std::string_view::npos) throw MultipartError("truncated part body");
    part.data = std::string(body.substr(pos, end - pos));
    pos = end + next_delim.size();
    if (has_disposition && !part.name.empty()) parts.push_back(std::move(part));
  }
}

}  // namespace larder::http
