// Regex parser (Go's regexp/syntax grammar, iterative: the pattern never drives recursion),
// Thompson compiler and Pike VM behind regex.h. The parse tree is shared with
// regex_random.cpp, which walks it to generate values for `autogeneratePattern`.
#include "core/util/regex.h"

#include <algorithm>
#include <span>
#include <utility>

#include "core/util/utf8.h"

namespace larder::util {
namespace regex_syntax {
namespace {

// Simple case folding, complete: every rune whose orbit (unicode.SimpleFold) is not a
// singleton maps to the orbit's smallest member. Runs of {lo, hi, delta, stride}, sorted by lo,
// generated from Go 1.26's unicode tables so (?i) matches exactly what Go matches.
struct FoldRun {
  char32_t lo, hi;
  int32_t delta;
  uint32_t stride;
};
constexpr FoldRun kFoldRuns[] = {
    {0x61, 0x7A, -32, 1}, {0xE0, 0xF6, -32, 1}, {0xF8, 0xFE, -32, 1}, {0x101, 0x12F, -1, 2},
    {0x133, 0x137, -1, 2}, {0x13A, 0x148, -1, 2}, {0x14B, 0x177, -1, 2}, {0x178, 0x178, -121, 1},
    {0x17A, 0x17E, -1, 2}, {0x17F, 0x17F, -300, 1}, {0x183, 0x185, -1, 2}, {0x188, 0x188, -1, 1},
    {0x18C, 0x18C, -1, 1}, {0x192, 0x192, -1, 1}, {0x199, 0x199, -1, 1}, {0x1A1, 0x1A5, -1, 2},
    {0x1A8, 0x1A8, -1, 1}, {0x1AD, 0x1AD, -1, 1}, {0x1B0, 0x1B0, -1, 1}, {0x1B4, 0x1B6, -1, 2},
    {0x1B9, 0x1B9, -1, 1}, {0x1BD, 0x1BD, -1, 1}, {0x1C5, 0x1C5, -1, 1}, {0x1C6, 0x1C6, -2, 1},
    {0x1C8, 0x1C8, -1, 1}, {0x1C9, 0x1C9, -2, 1}, {0x1CB, 0x1CB, -1, 1}, {0x1CC, 0x1CC, -2, 1},
    {0x1CE, 0x1DC, -1, 2}, {0x1DD, 0x1DD, -79, 1}, {0x1DF, 0x1EF, -1, 2}, {0x1F2, 0x1F2, -1, 1},
    {0x1F3, 0x1F3, -2, 1}, {0x1F5, 0x1F5, -1, 1}, {0x1F6, 0x1F6, -97, 1}, {0x1F7, 0x1F7, -56, 1},
    {0x1F9, 0x21F, -1, 2}, {0x220, 0x220, -130, 1}, {0x223, 0x233, -1, 2}, {0x23C, 0x23C, -1, 1},
    {0x23D, 0x23D, -163, 1}, {0x242, 0x242, -1, 1}, {0x243, 0x243, -195, 1}, {0x247, 0x24F, -1, 2},
    {0x253, 0x253, -210, 1}, {0x254, 0x254, -206, 1}, {0x256, 0x257, -205, 1},
    {0x259, 0x259, -202, 1}, {0x25B, 0x25B, -203, 1}, {0x260, 0x260, -205, 1},
    {0x263, 0x263, -207, 1}, {0x268, 0x268, -209, 1}, {0x269, 0x269, -211, 1},
    {0x26F, 0x26F, -211, 1}, {0x272, 0x272, -213, 1}, {0x275, 0x275, -214, 1},
    {0x280, 0x280, -218, 1}, {0x283, 0x283, -218, 1}, {0x288, 0x288, -218, 1},
    {0x289, 0x289, -69, 1}, {0x28A, 0x28B, -217, 1}, {0x28C, 0x28C, -71, 1}, {0x292, 0x292, -219, 1},
    {0x371, 0x373, -1, 2}, {0x377, 0x377, -1, 1}, {0x399, 0x399, -84, 1}, {0x39C, 0x39C, -743, 1},
    {0x3AC, 0x3AC, -38, 1}, {0x3AD, 0x3AF, -37, 1}, {0x3B1, 0x3B8, -32, 1}, {0x3B9, 0x3B9, -116, 1},
    {0x3BA, 0x3BB, -32, 1}, {0x3BC, 0x3BC, -775, 1}, {0x3BD, 0x3C1, -32, 1}, {0x3C2, 0x3C2, -31, 1},
    {0x3C3, 0x3CB, -32, 1}, {0x3CC, 0x3CC, -64, 1}, {0x3CD, 0x3CE, -63, 1}, {0x3D0, 0x3D0, -62, 1},
    {0x3D1, 0x3D1, -57, 1}, {0x3D5, 0x3D5, -47, 1}, {0x3D6, 0x3D6, -54, 1}, {0x3D7, 0x3D7, -8, 1},
    {0x3D9, 0x3EF, -1, 2}, {0x3F0, 0x3F0, -86, 1}, {0x3F1, 0x3F1, -80, 1}, {0x3F3, 0x3F3, -116, 1},
    {0x3F4, 0x3F4, -92, 1}, {0x3F5, 0x3F5, -96, 1}, {0x3F8, 0x3F8, -1, 1}, {0x3F9, 0x3F9, -7, 1},
    {0x3FB, 0x3FB, -1, 1}, {0x3FD, 0x3FF, -130, 1}, {0x430, 0x44F, -32, 1}, {0x450, 0x45F, -80, 1},
    {0x461, 0x481, -1, 2}, {0x48B, 0x4BF, -1, 2}, {0x4C2, 0x4CE, -1, 2}, {0x4CF, 0x4CF, -15, 1},
    {0x4D1, 0x52F, -1, 2}, {0x561, 0x586, -48, 1}, {0x13F8, 0x13FD, -8, 1},
    {0x1C80, 0x1C80, -6254, 1}, {0x1C81, 0x1C81, -6253, 1}, {0x1C82, 0x1C82, -6244, 1},
    {0x1C83, 0x1C84, -6242, 1}, {0x1C85, 0x1C85, -6243, 1}, {0x1C86, 0x1C86, -6236, 1},
    {0x1C87, 0x1C87, -6181, 1}, {0x1C90, 0x1CBA, -3008, 1}, {0x1CBD, 0x1CBF, -3008, 1},
    {0x1E01, 0x1E95, -1, 2}, {0x1E9B, 0x1E9B, -59, 1}, {0x1E9E, 0x1E9E, -7615, 1},
    {0x1EA1, 0x1EFF, -1, 2}, {0x1F08, 0x1F0F, -8, 1}, {0x1F18, 0x1F1D, -8, 1},
    {0x1F28, 0x1F2F, -8, 1}, {0x1F38, 0x1F3F, -8, 1}, {0x1F48, 0x1F4D, -8, 1},
    {0x1F59, 0x1F5F, -8, 2}, {0x1F68, 0x1F6F, -8, 1}, {0x1F88, 0x1F8F, -8, 1},
    {0x1F98, 0x1F9F, -8, 1}, {0x1FA8, 0x1FAF, -8, 1}, {0x1FB8, 0x1FB9, -8, 1},
    {0x1FBA, 0x1FBB, -74, 1}, {0x1FBC, 0x1FBC, -9, 1}, {0x1FBE, 0x1FBE, -7289, 1},
    {0x1FC8, 0x1FCB, -86, 1}, {0x1FCC, 0x1FCC, -9, 1}, {0x1FD8, 0x1FD9, -8, 1},
    {0x1FDA, 0x1FDB, -100, 1}, {0x1FE8, 0x1FE9, -8, 1}, {0x1FEA, 0x1FEB, -112, 1},
    {0x1FEC, 0x1FEC, -7, 1}, {0x1FF8, 0x1FF9, -128, 1}, {0x1FFA, 0x1FFB, -126, 1},
    {0x1FFC, 0x1FFC, -9, 1}, {0x2126, 0x2126, -7549, 1}, {0x212A, 0x212A, -8415, 1},
    {0x212B, 0x212B, -8294, 1}, {0x214E, 0x214E, -28, 1}, {0x2170, 0x217F, -16, 1},
    {0x2184, 0x2184, -1, 1}, {0x24D0, 0x24E9, -26, 1}, {0x2C30, 0x2C5F, -48, 1},
    {0x2C61, 0x2C61, -1, 1}, {0x2C62, 0x2C62, -10743, 1}, {0x2C63, 0x2C63, -3814, 1},
    {0x2C64, 0x2C64, -10727, 1}, {0x2C65, 0x2C65, -10795, 1}, {0x2C66, 0x2C66, -10792, 1},
    {0x2C68, 0x2C6C, -1, 2}, {0x2C6D, 0x2C6D, -10780, 1}, {0x2C6E, 0x2C6E, -10749, 1},
    {0x2C6F, 0x2C6F, -10783, 1}, {0x2C70, 0x2C70, -10782, 1}, {0x2C73, 0x2C73, -1, 1},
    {0x2C76, 0x2C76, -1, 1}, {0x2C7E, 0x2C7F, -10815, 1}, {0x2C81, 0x2CE3, -1, 2},
    {0x2CEC, 0x2CEE, -1, 2}, {0x2CF3, 0x2CF3, -1, 1}, {0x2D00, 0x2D25, -7264, 1},
    {0x2D27, 0x2D27, -7264, 1}, {0x2D2D, 0x2D2D, -7264, 1}, {0xA641, 0xA649, -1, 2},
    {0xA64A, 0xA64A, -35266, 1}, {0xA64B, 0xA64B, -35267, 1}, {0xA64D, 0xA66D, -1, 2},
    {0xA681, 0xA69B, -1, 2}, {0xA723, 0xA72F, -1, 2}, {0xA733, 0xA76F, -1, 2},
    {0xA77A, 0xA77C, -1, 2}, {0xA77D, 0xA77D, -35332, 1}, {0xA77F, 0xA787, -1, 2},
    {0xA78C, 0xA78C, -1, 1}, {0xA78D, 0xA78D, -42280, 1}, {0xA791, 0xA793, -1, 2},
    {0xA797, 0xA7A9, -1, 2}, {0xA7AA, 0xA7AA, -42308, 1}, {0xA7AB, 0xA7AB, -42319, 1},
    {0xA7AC, 0xA7AC, -42315, 1}, {0xA7AD, 0xA7AD, -42305, 1}, {0xA7AE, 0xA7AE, -42308, 1},
    {0xA7B0, 0xA7B0, -42258, 1}, {0xA7B1, 0xA7B1, -42282, 1}, {0xA7B2, 0xA7B2, -42261, 1},
    {0xA7B5, 0xA7C3, -1, 2}, {0xA7C4, 0xA7C4, -48, 1}, {0xA7C5, 0xA7C5, -42307, 1},
    {0xA7C6, 0xA7C6, -35384, 1}, {0xA7C8, 0xA7CA, -1, 2}, {0xA7D1, 0xA7D1, -1, 1},
    {0xA7D7, 0xA7D9, -1, 2}, {0xA7F6, 0xA7F6, -1, 1}, {0xAB53, 0xAB53, -928, 1},
    {0xAB70, 0xABBF, -38864, 1}, {0xFF41, 0xFF5A, -32, 1}, {0x10428, 0x1044F, -40, 1},
    {0x104D8, 0x104FB, -40, 1}, {0x10597, 0x105A1, -39, 1}, {0x105A3, 0x105B1, -39, 1},
    {0x105B3, 0x105B9, -39, 1}, {0x105BB, 0x105BC, -39, 1}, {0x10CC0, 0x10CF2, -64, 1},
    {0x118C0, 0x118DF, -32, 1}, {0x16E60, 0x16E7F, -32, 1}, {0x1E922, 0x1E943, -34, 1},
};

// The code point of the valid `len`-byte UTF-8 sequence at s[i].
char32_t code_point(std::string_view s, size_t i, size_t len) {
  static constexpr unsigned char kLeadBits[] = {0, 0x7F, 0x1F, 0x0F, 0x07};
  char32_t c = static_cast<unsigned char>(s[i]) & kLeadBits[len];
  for (size_t k = 1; k < len; ++k) c = c << 6 | (static_cast<unsigned char>(s[i + k]) & 0x3F);
  return c;
}

bool in_run(const FoldRun& r, char32_t c) {
  return c >= r.lo && c <= r.hi && (c - r.lo) % r.stride == 0;
}

// Adds [lo, hi] and every rune that folds to or from a rune in it.
void add_folded(std::vector<Range>& out, char32_t lo, char32_t hi) {
  out.push_back({lo, hi});
  std::vector<char32_t> mins;  // orbit minimums touched by [lo, hi]
  for (const auto& r : kFoldRuns) {
    for (char32_t x = r.lo; x <= r.hi; x += r.stride) {
      char32_t m = x + r.delta;
      if ((x >= lo && x <= hi) || (m >= lo && m <= hi)) mins.push_back(m);
    }
  }
  if (mins.empty()) return;
  std::sort(mins.begin(), mins.end());
  for (char32_t m : mins) out.push_back({m, m});
  for (const auto& r : kFoldRuns) {
    for (char32_t x = r.lo; x <= r.hi; x += r.stride) {
      if (std::binary_search(mins.begin(), mins.end(), x + r.delta)) out.push_back({x, x});
    }
  }
}

void normalize(std::vector<Range>& rs) {
  std::sort(rs.begin(), rs.end(), [](Range a, Range b) { return a.lo < b.lo; });
  size_t w = 0;
  for (const Range& r : rs) {
    if (w > 0 && r.lo <= rs[w - 1].hi + 1) {
      rs[w - 1].hi = std::max(rs[w - 1].hi, r.hi);
    } else {
      rs[w++] = r;
    }
  }
  rs.resize(w);
}

std::vector<Range> negate(const std::vector<Range>& rs) {  // rs normalized
  std::vector<Range> out;
  char32_t next = 0;
  for (const Range& r : rs) {
    if (r.lo > next) out.push_back({next, r.lo - 1});
    next = r.hi + 1;
  }
  if (next <= 0x10FFFF) out.push_back({next, 0x10FFFF});
  return out;
}

bool is_alnum(char32_t c) {
  return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

int unhex(char32_t c) {
  if (c >= '0' && c <= '9') return static_cast<int>(c - '0');
  if (c >= 'a' && c <= 'f') return static_cast<int>(c - 'a' + 10);
  if (c >= 'A' && c <= 'F') return static_cast<int>(c - 'A' + 10);
  return -1;
}

// Perl and POSIX classes: ASCII only, as in RE2 and Go.
constexpr Range kDigit[] = {{'0', '9'}};
constexpr Range kSpace[] = {{'\t', '\n'}, {'\f', '\r'}, {' ', ' '}};
constexpr Range kWord[] = {{'0', '9'}, {'A', 'Z'}, {'_', '_'}, {'a', 'z'}};
constexpr Range kAlnum[] = {{'0', '9'}, {'A', 'Z'}, {'a', 'z'}};
constexpr Range kAlpha[] = {{'A', 'Z'}, {'a', 'z'}};
constexpr Range kAscii[] = {{0, 0x7F}};
constexpr Range kBlank[] = {{'\t', '\t'}, {' ', ' '}};
constexpr Range kCntrl[] = {{0, 0x1F}, {0x7F, 0x7F}};
constexpr Range kGraph[] = {{'!', '~'}};
constexpr Range kLower[] = {{'a', 'z'}};
constexpr Range kPrint[] = {{' ', '~'}};
constexpr Range kPunct[] = {{'!', '/'}, {':', '@'}, {'[', '`'}, {'{', '~'}};
constexpr Range kPosixSpace[] = {{'\t', '\r'}, {' ', ' '}};
constexpr Range kUpper[] = {{'A', 'Z'}};
constexpr Range kXdigit[] = {{'0', '9'}, {'A', 'F'}, {'a', 'f'}};

struct NamedGroup {
  std::string_view name;
  std::span<const Range> ranges;
};
constexpr NamedGroup kPosix[] = {
    {"alnum", kAlnum}, {"alpha", kAlpha}, {"ascii", kAscii},       {"blank", kBlank},
    {"cntrl", kCntrl}, {"digit", kDigit}, {"graph", kGraph},       {"lower", kLower},
    {"print", kPrint}, {"punct", kPunct}, {"space", kPosixSpace}, {"upper", kUpper},
    {"word", kWord},   {"xdigit", kXdigit},
};

std::span<const Range> perl_group(char c) {
  switch (c | 0x20) {
    case 'd': return kDigit;
    case 's': return kSpace;
    case 'w': return kWord;
    default: return {};
  }
}

constexpr size_t kMaxNesting = 1000;  // Go's maxHeight
constexpr int kMaxRepeat = 1000;      // Go's (and RE2's) repeat-count limit
constexpr int kParen = -1, kBar = -2;  // markers on the parse stack

// A stack machine like Go's parser: operands and markers on one stack, collapsed at | and ).
class Parser {
 public:
  Parser(std::string_view pattern, std::string* error) : pat_(pattern), error_(error) {}

  std::optional<Tree> run() {
    size_t last_repeat = std::string_view::npos;  // start of the previous token, if a repeat
    while (pos_ < pat_.size()) {
      const size_t start = pos_;
      bool repeat_token = false;
      const char ch = pat_[pos_];
      bool ok = true;
      switch (ch) {
        case '(':
          if (pat_.substr(pos_).starts_with("(?")) {
            ok = parse_group_flags();
          } else {
            ok = open_paren();
            ++pos_;
          }
          break;
        case '|':
          concat();
          stack_.push_back(kBar);
          ++pos_;
          break;
        case ')':
          ok = close_paren();
          ++pos_;
          break;
        case '^': push_op(flags_.multiline ? Op::BeginLine : Op::BeginText); break;
        case '$': push_op(flags_.multiline ? Op::EndLine : Op::EndText); break;
        case '.': push_op(flags_.dotnl ? Op::AnyChar : Op::AnyCharNotNL); break;
        case '[': ok = parse_class(); break;
        case '*':
        case '+':
        case '?':
          ++pos_;
          ok = repeat(ch == '+' ? 1 : 0, ch == '?' ? 1 : -1, false, start, last_repeat);
          repeat_token = true;
          break;
        case '{': {
          int min = 0, max = 0;
          if (!parse_braces(min, max)) {  // not a repeat: a literal '{', as in Go
            literal('{');
            ++pos_;
            break;
          }
          if (min < 0 || min > kMaxRepeat || max > kMaxRepeat || (max >= 0 && min > max)) {
            ok = fail("invalid repeat count", pat_.substr(start, pos_ - start));
          } else {
            ok = repeat(min, max, true, start, last_repeat);
          }
          repeat_token = true;
          break;
        }
        case '\\': ok = parse_backslash(); break;
        default: {
          char32_t c = 0;
          ok = next_rune(c);
          if (ok) literal(c);
        }
      }
      if (!ok) return std::nullopt;
      last_repeat = repeat_token ? start : std::string_view::npos;
    }
    concat();
    alternate();
    if (!paren_flags_.empty()) {
      fail("missing closing )", pat_);
      return std::nullopt;
    }
    return Tree{std::move(nodes_), stack_.back()};
  }

 private:
  struct Flags {
    bool fold = false, dotnl = false, multiline = false;  // (?U) cannot change a yes/no answer
  };

  bool fail(std::string_view code, std::string_view expr) {  // Go's error text
    if (error_) {
      *error_ = "error parsing regexp: ";
      *error_ += code;
      *error_ += ": `";
      *error_ += expr;
      *error_ += '`';
    }
    return false;
  }

  int add(Node n) {
    nodes_.push_back(std::move(n));
    return static_cast<int>(nodes_.size() - 1);
  }
  void push_op(Op op) {
    stack_.push_back(add(Node{.op = op}));
    ++pos_;
  }
  void literal(char32_t c) {
    std::vector<char32_t> orbit;
    if (flags_.fold) fold_orbit(c, orbit);
    stack_.push_back(add(Node{.op = Op::Literal, .fold = orbit.size() > 1, .rune = c}));
  }
  void push_class(std::vector<Range> ranges) {
    stack_.push_back(add(Node{.op = Op::Class, .ranges = std::move(ranges)}));
  }

  // Decodes one UTF-8 rune of the pattern; Go refuses patterns that are not valid UTF-8.
  bool next_rune(char32_t& c) {
    size_t len = utf8::valid_sequence_length(pat_, pos_);
    if (len == 0) return fail("invalid UTF-8", pat_.substr(pos_));
    c = code_point(pat_, pos_, len);
    pos_ += len;
    return true;
  }

  bool open_paren() {
    if (paren_flags_.size() >= kMaxNesting) return fail("expression nests too deeply", pat_);
    stack_.push_back(kParen);
    paren_flags_.push_back(flags_);
    return true;
  }

  bool close_paren() {
    concat();
    alternate();
    if (paren_flags_.empty()) return fail("unexpected )", pat_);
    int item = stack_.back();
    stack_.pop_back();
    stack_.back() = item;  // replaces the paren marker
    flags_ = paren_flags_.back();
    paren_flags_.pop_back();
    return true;
  }

  // Collapses the operands above the nearest marker into one (Empty when there are none).
  void concat() {
    size_t i = stack_.size();
    while (i > 0 && stack_[i - 1] >= 0) --i;
    if (stack_.size() - i == 1) return;
    Node n{.op = stack_.size() == i ? Op::Empty : Op::Concat};
    n.subs.assign(stack_.begin() + static_cast<std::ptrdiff_t>(i), stack_.end());
    for (int s : n.subs) n.repeat_product = std::max(n.repeat_product, nodes_[s].repeat_product);
    stack_.resize(i);
    stack_.push_back(add(std::move(n)));
  }

  // After concat(): joins the operands separated by | markers down to the nearest paren.
  void alternate() {
    std::vector<int> alts{stack_.back()};
    stack_.pop_back();
    while (!stack_.empty() && stack_.back() == kBar) {
      stack_.pop_back();
      alts.push_back(stack_.back());
      stack_.pop_back();
    }
    if (alts.size() == 1) {
      stack_.push_back(alts[0]);
      return;
    }
    std::reverse(alts.begin(), alts.end());
    Node n{.op = Op::Alternate, .subs = std::move(alts)};
    for (int s : n.subs) n.repeat_product = std::max(n.repeat_product, nodes_[s].repeat_product);
    stack_.push_back(add(std::move(n)));
  }

  bool repeat(int min, int max, bool counted, size_t start, size_t last_repeat) {
    if (pos_ < pat_.size() && pat_[pos_] == '?') ++pos_;  // lazy: same yes/no answer
    if (last_repeat != std::string_view::npos) {
      return fail("invalid nested repetition operator",
                  pat_.substr(last_repeat, pos_ - last_repeat));
    }
    if (stack_.empty() || stack_.back() < 0) {
      return fail("missing argument to repetition operator", pat_.substr(start, pos_ - start));
    }
    Node n{.op = Op::Repeat, .min = min, .max = max, .subs = {stack_.back()}};
    n.repeat_product = nodes_[stack_.back()].repeat_product;
    if (counted) {  // Go bounds the product of nested {n,m} counts, so expansion stays small
      const int m = max < 0 ? min : max;
      n.repeat_product = max == 0 ? 1 : std::max(m, 1) * n.repeat_product;
      if (n.repeat_product > kMaxRepeat) {
        return fail("invalid repeat count", pat_.substr(start, pos_ - start));
      }
    }
    stack_.back() = add(std::move(n));
    return true;
  }

  // {n}, {n,} or {n,m}; false (pos_ unchanged) when the text does not have that shape.
  bool parse_braces(int& min, int& max) {
    size_t p = pos_ + 1;
    auto number = [&](int& v) {
      const size_t s = p;
      if (p >= pat_.size() || pat_[p] < '0' || pat_[p] > '9') return false;
      if (p + 1 < pat_.size() && pat_[p] == '0' && pat_[p + 1] >= '0' && pat_[p + 1] <= '9') {
        return false;  // Go disallows leading zeros
      }
      v = 0;
      while (p < pat_.size() && pat_[p] >= '0' && pat_[p] <= '9') {
        if (v >= 100'000'000) v = -1;  // too big: an error, not a literal
        if (v >= 0) v = v * 10 + (pat_[p] - '0');
        ++p;
      }
      return p > s;
    };
    if (!number(min) || p >= pat_.size()) return false;
    if (pat_[p] != ',') {
      max = min;
    } else {
      ++p;
      if (p >= pat_.size()) return false;
      if (pat_[p] == '}') {
        max = -1;
      } else if (!number(max)) {
        return false;
      } else if (max < 0) {
        min = -1;
      }
    }
    if (p >= pat_.size() || pat_[p] != '}') return false;
    pos_ = p + 1;
    return true;
  }

  // "(?flags)", "(?flags:", "(?P<name>", "(?<name>"; lookaround and the rest are refused.
  bool parse_group_flags() {
    const size_t start = pos_;
    std::string_view t = pat_.substr(pos_);
    const bool p_name = t.size() > 4 && t[2] == 'P' && t[3] == '<';
    if (p_name || (t.size() > 3 && t[2] == '<')) {
      size_t end = t.find('>');
      if (end == std::string_view::npos) {
        if (!utf8_valid(t)) return fail("invalid UTF-8", t);
        return fail("invalid named capture", t);
      }
      std::string_view name = t.substr(p_name ? 4 : 3, end - (p_name ? 4 : 3));
      if (!utf8_valid(name)) return fail("invalid UTF-8", name);
      bool ok = !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
        return c == '_' || is_alnum(static_cast<unsigned char>(c));
      });
      if (!ok) return fail("invalid named capture", t.substr(0, end + 1));
      pos_ += end + 1;
      return open_paren();
    }
    pos_ += 2;
    Flags f = flags_;
    bool negated = false, saw_flag = false;
    while (pos_ < pat_.size()) {
      char32_t c = 0;
      if (!next_rune(c)) return false;
      switch (c) {
        case 'i': f.fold = !negated; saw_flag = true; continue;
        case 'm': f.multiline = !negated; saw_flag = true; continue;
        case 's': f.dotnl = !negated; saw_flag = true; continue;
        case 'U': saw_flag = true; continue;
        case '-':
          if (negated) break;
          negated = true;
          saw_flag = false;
          continue;
        case ':':
        case ')':
          if (negated && !saw_flag) break;
          if (c == ':' && !open_paren()) return false;  // the paren keeps the outer flags
          flags_ = f;
          return true;
        default: break;
      }
      break;
    }
    return fail("invalid or unsupported Perl syntax", pat_.substr(start, pos_ - start));
  }

  static bool utf8_valid(std::string_view s) {
    for (size_t i = 0; i < s.size();) {
      size_t n = utf8::valid_sequence_length(s, i);
      if (n == 0) return false;
      i += n;
    }
    return true;
  }

  void append_group(std::vector<Range>& cls, std::span<const Range> g, bool negated) {
    std::vector<Range> tmp;
    for (Range r : g) {
      if (flags_.fold) {
        add_folded(tmp, r.lo, r.hi);
      } else {
        tmp.push_back(r);
      }
    }
    if (negated) {
      normalize(tmp);
      tmp = negate(tmp);
    }
    cls.insert(cls.end(), tmp.begin(), tmp.end());
  }

  bool unsupported_unicode_class() {
    std::string_view t = pat_.substr(pos_);
    size_t end = t.size() > 2 && t[2] == '{' ? t.find('}') : 2;  // the class's last character
    if (end != std::string_view::npos) ++end;
    return fail("unsupported Unicode class", t.substr(0, end));
  }

  bool parse_backslash() {
    if (pos_ + 1 < pat_.size()) {
      const char e = pat_[pos_ + 1];
      switch (e) {
        case 'A': ++pos_; push_op(Op::BeginText); return true;
        case 'z': ++pos_; push_op(Op::EndText); return true;
        case 'b': ++pos_; push_op(Op::WordBoundary); return true;
        case 'B': ++pos_; push_op(Op::NoWordBoundary); return true;
        case 'C': return fail("invalid escape sequence", "\\C");
        case 'p':
        case 'P': return unsupported_unicode_class();
        case 'Q': {  // \Q...\E: literal text
          pos_ += 2;
          size_t end = pat_.find("\\E", pos_);
          const size_t stop = end == std::string_view::npos ? pat_.size() : end;
          while (pos_ < stop) {
            char32_t c = 0;
            if (!next_rune(c)) return false;
            literal(c);
          }
          pos_ = end == std::string_view::npos ? stop : stop + 2;
          return true;
        }
        default: break;
      }
      if (auto g = perl_group(e); !g.empty()) {
        std::vector<Range> cls;
        append_group(cls, g, e >= 'A' && e <= 'Z');
        normalize(cls);
        push_class(std::move(cls));
        pos_ += 2;
        return true;
      }
    }
    char32_t c = 0;
    if (!parse_escape(c)) return false;
    literal(c);
    return true;
  }

  bool parse_escape(char32_t& c) {
    const size_t start = pos_++;
    if (pos_ >= pat_.size()) return fail("trailing backslash at end of expression", "");
    char32_t e = 0;
    if (!next_rune(e)) return false;
    auto bad = [&] { return fail("invalid escape sequence", pat_.substr(start, pos_ - start)); };
    auto octal = [&] { return pos_ < pat_.size() && pat_[pos_] >= '0' && pat_[pos_] <= '7'; };
    if (e < 0x80 && !is_alnum(e)) {  // escaped punctuation is itself
      c = e;
      return true;
    }
    switch (e) {
      case '1': case '2': case '3': case '4': case '5': case '6': case '7':
        if (!octal()) return bad();  // \1 alone would be a backreference
        [[fallthrough]];
      case '0':
        c = e - '0';
        for (int i = 1; i < 3 && octal(); ++i) c = c * 8 + static_cast<char32_t>(pat_[pos_++] & 7);
        return true;
      case 'x': {
        char32_t d = 0;
        if (pos_ >= pat_.size()) return bad();
        if (!next_rune(d)) return false;
        if (d == '{') {
          int digits = 0;
          c = 0;
          for (;;) {
            if (pos_ >= pat_.size()) return bad();
            if (!next_rune(d)) return false;
            if (d == '}') break;
            if (unhex(d) < 0) return bad();
            c = c * 16 + static_cast<char32_t>(unhex(d));
            if (c > 0x10FFFF) return bad();
            ++digits;
          }
          return digits > 0 || bad();
        }
        const int hi = unhex(d);
        if (pos_ >= pat_.size()) return bad();
        if (!next_rune(d)) return false;
        if (hi < 0 || unhex(d) < 0) return bad();
        c = static_cast<char32_t>(hi * 16 + unhex(d));
        return true;
      }
      case 'a': c = '\a'; return true;
      case 'f': c = '\f'; return true;
      case 'n': c = '\n'; return true;
      case 'r': c = '\r'; return true;
      case 't': c = '\t'; return true;
      case 'v': c = '\v'; return true;
      default: return bad();
    }
  }

  bool class_char(char32_t& c, std::string_view whole) {
    if (pos_ >= pat_.size()) return fail("missing closing ]", whole);
    return pat_[pos_] == '\\' ? parse_escape(c) : next_rune(c);
  }

  bool parse_class() {
    const std::string_view whole = pat_.substr(pos_);
    ++pos_;
    bool negated = false;
    if (pos_ < pat_.size() && pat_[pos_] == '^') {
      negated = true;
      ++pos_;
    }
    std::vector<Range> cls;
    bool first = true;  // ']' first is a literal
    while (pos_ >= pat_.size() || pat_[pos_] != ']' || first) {
      first = false;
      std::string_view t = pat_.substr(pos_);
      if (t.size() > 2 && t[0] == '[' && t[1] == ':') {
        if (size_t end = t.find(":]", 2); end != std::string_view::npos) {
          std::string_view name = t.substr(0, end + 2);
          const bool neg = name[2] == '^';
          auto it = std::find_if(std::begin(kPosix), std::end(kPosix), [&](const NamedGroup& g) {
            return g.name == name.substr(neg ? 3 : 2, name.size() - (neg ? 5 : 4));
          });
          if (it == std::end(kPosix)) return fail("invalid character class range", name);
          append_group(cls, it->ranges, neg);
          pos_ += name.size();
          continue;
        }
      }
      if (t.size() >= 2 && t[0] == '\\' && (t[1] == 'p' || t[1] == 'P')) {
        return unsupported_unicode_class();
      }
      if (t.size() >= 2 && t[0] == '\\' && !perl_group(t[1]).empty()) {
        append_group(cls, perl_group(t[1]), t[1] >= 'A' && t[1] <= 'Z');
        pos_ += 2;
        continue;
      }
      const size_t range_start = pos_;
      char32_t lo = 0, hi = 0;
      if (!class_char(lo, whole)) return false;
      hi = lo;
      if (pat_.size() - pos_ >= 2 && pat_[pos_] == '-' && pat_[pos_ + 1] != ']') {  // [a-] is a|-
        ++pos_;
        if (!class_char(hi, whole)) return false;
        if (hi < lo) {
          return fail("invalid character class range",
                      pat_.substr(range_start, pos_ - range_start));
        }
      }
      if (flags_.fold) {
        add_folded(cls, lo, hi);
      } else {
        cls.push_back({lo, hi});
      }
    }
    ++pos_;  // ]
    normalize(cls);
    push_class(negated ? negate(cls) : std::move(cls));
    return true;
  }

  std::string_view pat_;
  std::string* error_;
  size_t pos_ = 0;
  Flags flags_;
  std::vector<Node> nodes_;
  std::vector<int> stack_;  // node indices and kParen / kBar markers
  std::vector<Flags> paren_flags_;
};

}  // namespace

std::optional<Tree> parse(std::string_view pattern, std::string* error) {
  return Parser(pattern, error).run();
}

char32_t min_fold(char32_t c) {
  for (const auto& r : kFoldRuns) {
    if (r.lo > c) break;
    if (in_run(r, c)) return c + r.delta;
  }
  return c;
}

void fold_orbit(char32_t c, std::vector<char32_t>& out) {
  const char32_t m = min_fold(c);
  out.push_back(m);
  for (const auto& r : kFoldRuns) {
    const char32_t x = m - r.delta;
    if (in_run(r, x)) out.push_back(x);
  }
}

}  // namespace regex_syntax

// ---- Compiler: Thompson construction ----------------------------------------------------------

namespace {

using regex_syntax::Node;
using regex_syntax::Op;
using regex_syntax::Range;

struct Inst {
  enum Kind : uint8_t { Rune, Class, Any, AnyNotNL, Split, Jmp, Assert, Match } kind;
  uint32_t x = 0, y = 0;  // Rune: the rune; Class: index; Split/Jmp: targets; Assert: Op
};

// Fragments are compiled bottom-up with targets relative to their own start and "fall off the
// end" meaning "continue"; splicing one into another just shifts its targets. No patch lists,
// no recursion, and a repeat is a copy.
using Fragment = std::vector<Inst>;

void splice(Fragment& out, const Fragment& f) {
  const auto base = static_cast<uint32_t>(out.size());
  for (Inst in : f) {
    if (in.kind == Inst::Split || in.kind == Inst::Jmp) in.x += base;
    if (in.kind == Inst::Split) in.y += base;
    out.push_back(in);
  }
}

bool is_word(int32_t c) {
  return c == '_' || (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

// Go's decoding: an invalid byte is U+FFFD of width 1. Returns {-1, 0} at the end.
std::pair<int32_t, size_t> decode(std::string_view s, size_t i) {
  if (i >= s.size()) return {-1, 0};
  const size_t len = utf8::valid_sequence_length(s, i);
  if (len == 0) return {0xFFFD, 1};
  return {static_cast<int32_t>(regex_syntax::code_point(s, i, len)), len};
}

}  // namespace

struct Regex::Program {
  struct CharClass {
    std::vector<Range> ranges;
    uint64_t ascii[2] = {0, 0};  // bitmap for the common case

    explicit CharClass(std::vector<Range> rs) : ranges(std::move(rs)) {
      for (Range r : ranges) {
        for (char32_t c = r.lo; c <= r.hi && c < 128; ++c) ascii[c >> 6] |= uint64_t{1} << (c & 63);
      }
    }
    bool contains(int32_t c) const {
      if (c < 128) return (ascii[c >> 6] >> (c & 63)) & 1;
      auto it = std::upper_bound(ranges.begin(), ranges.end(), static_cast<char32_t>(c),
                                 [](char32_t v, Range r) { return v < r.lo; });
      return it != ranges.begin() && static_cast<char32_t>(c) <= std::prev(it)->hi;
    }
  };

  std::vector<Inst> insts;
  std::vector<CharClass> classes;
  bool anchored = false;  // starts with \A: unanchored search can stop once threads die

  bool run(std::string_view text, bool full) const;
};

std::optional<Regex> Regex::compile(std::string_view pattern, std::string* error) {
  auto tree = regex_syntax::parse(pattern, error);
  if (!tree) return std::nullopt;
  std::vector<Node>& nodes = tree->nodes;
  auto prog = std::make_shared<Program>();

  std::vector<Fragment> frags(nodes.size());
  std::vector<char32_t> orbit;
  for (size_t i = 0; i <= static_cast<size_t>(tree->root); ++i) {
    Node& n = nodes[i];
    // Sizes are computed before building so `(?:x{1000}){1000}`-like blowups never allocate.
    uint64_t size = 0;
    for (int s : n.subs) size += frags[s].size();
    if (n.op == Op::Alternate) size += 2 * (n.subs.size() - 1);
    if (n.op == Op::Repeat) {
      const uint64_t a = size;
      size = n.max < 0 ? (n.min == 0 ? a + 2 : a * n.min + 1)
                       : a * n.min + (a + 1) * static_cast<uint64_t>(n.max - n.min);
    }
    if (size + 1 > kMaxProgramSize) {
      if (error) *error = "error parsing regexp: expression too large: `" + std::string(pattern) + '`';
      return std::nullopt;
    }
    Fragment& out = frags[i];
    out.reserve(std::max<uint64_t>(size, 1));
    auto add_class = [&](std::vector<Range> rs) {
      prog->classes.emplace_back(std::move(rs));
      out.push_back({Inst::Class, static_cast<uint32_t>(prog->classes.size() - 1)});
    };
    switch (n.op) {
      case Op::Literal:
        orbit.clear();
        if (n.fold) regex_syntax::fold_orbit(n.rune, orbit);
        if (orbit.size() > 1) {
          std::vector<Range> rs;
          for (char32_t c : orbit) rs.push_back({c, c});
          std::sort(rs.begin(), rs.end(), [](Range a, Range b) { return a.lo < b.lo; });
          add_class(std::move(rs));
        } else {
          out.push_back({Inst::Rune, n.rune});
        }
        break;
      case Op::Class: add_class(std::move(n.ranges)); break;
      case Op::AnyChar: out.push_back({Inst::Any}); break;
      case Op::AnyCharNotNL: out.push_back({Inst::AnyNotNL}); break;
      case Op::BeginLine:
      case Op::EndLine:
      case Op::BeginText:
      case Op::EndText:
      case Op::WordBoundary:
      case Op::NoWordBoundary: out.push_back({Inst::Assert, static_cast<uint32_t>(n.op)}); break;
      case Op::Empty: break;
      case Op::Concat:
        for (int s : n.subs) splice(out, frags[s]);
        break;
      case Op::Alternate: {
        const auto end = static_cast<uint32_t>(size);
        for (size_t k = 0; k < n.subs.size(); ++k) {
          const Fragment& f = frags[n.subs[k]];
          const auto here = static_cast<uint32_t>(out.size());
          const bool last = k + 1 == n.subs.size();
          const auto next = here + 2 + static_cast<uint32_t>(f.size());
          if (!last) out.push_back({Inst::Split, here + 1, next});
          splice(out, f);
          if (!last) out.push_back({Inst::Jmp, end});
        }
        break;
      }
      case Op::Repeat: {
        const Fragment& f = frags[n.subs[0]];
        if (n.max < 0 && n.min == 0) {  // x*
          out.push_back({Inst::Split, 1, static_cast<uint32_t>(f.size()) + 2});
          splice(out, f);
          out.push_back({Inst::Jmp, 0});
        } else if (n.max < 0) {  // x{n,} = x{n-1} x+
          for (int k = 1; k < n.min; ++k) splice(out, f);
          const auto loop = static_cast<uint32_t>(out.size());
          splice(out, f);
          out.push_back({Inst::Split, loop, loop + static_cast<uint32_t>(f.size()) + 1});
        } else {  // x{n,m} = x{n} (x(x(x)?)?)?
          for (int k = 0; k < n.min; ++k) splice(out, f);
          const auto end = static_cast<uint32_t>(size);
          for (int k = n.min; k < n.max; ++k) {
            out.push_back({Inst::Split, static_cast<uint32_t>(out.size()) + 1, end});
            splice(out, f);
          }
        }
        break;
      }
    }
    for (int s : n.subs) Fragment().swap(frags[s]);  // each child has exactly one parent
  }
  prog->insts = std::move(frags[tree->root]);
  prog->insts.push_back({Inst::Match});
  const Inst& first = prog->insts[0];
  prog->anchored = first.kind == Inst::Assert && first.x == static_cast<uint32_t>(Op::BeginText);
  return Regex(std::move(prog));
}

// Pike VM: all threads advance in lockstep over the text, one rune at a time; a sparse set
// keeps at most one thread per instruction, so time is O(text × program) whatever the pattern.
bool Regex::Program::run(std::string_view text, bool full) const {
  const size_t n = insts.size();
  // One allocation: the sparse set (sparse + dense), the follow stack (depth <= n + 1), the
  // threads waiting on the current rune and the targets reached by consuming it.
  std::vector<uint32_t> mem(6 * n);
  uint32_t* const sparse = mem.data();
  uint32_t* const dense = sparse + n;
  uint32_t* const stack = dense + n;
  uint32_t* const alive = stack + 2 * n;
  uint32_t* const pending = alive + n;
  size_t n_pending = 0;
  const Inst* const code = insts.data();
  const bool start_only = full || anchored;
  size_t pos = 0;
  int32_t prev = -1;
  for (;;) {
    const auto [cur_rune, width] = decode(text, pos);
    const int32_t cur = cur_rune;  // clang 14 lambdas cannot capture structured bindings
    const bool at_end = pos == text.size();
    uint32_t seen = 0;
    size_t n_alive = 0;
    bool matched = false;
    auto holds = [&](uint32_t op) {
      switch (static_cast<Op>(op)) {
        case Op::BeginText: return pos == 0;
        case Op::EndText: return at_end;
        case Op::BeginLine: return pos == 0 || prev == '\n';
        case Op::EndLine: return at_end || cur == '\n';
        case Op::WordBoundary: return is_word(prev) != is_word(cur);
        default: return is_word(prev) == is_word(cur);  // NoWordBoundary
      }
    };
    // Follows empty transitions from `start`, collecting the threads that wait on a rune.
    auto follow = [&](uint32_t start) {
      size_t top = 0;
      stack[top++] = start;
      while (top > 0) {
        const uint32_t pc = stack[--top];
        if (sparse[pc] < seen && dense[sparse[pc]] == pc) continue;
        sparse[pc] = seen;
        dense[seen++] = pc;
        const Inst& in = code[pc];
        switch (in.kind) {
          case Inst::Match:
            if (!full || at_end) matched = true;
            break;
          case Inst::Jmp: stack[top++] = in.x; break;
          case Inst::Split:
            stack[top++] = in.y;
            stack[top++] = in.x;
            break;
          case Inst::Assert:
            if (holds(in.x)) stack[top++] = pc + 1;
            break;
          default: alive[n_alive++] = pc;
        }
      }
    };
    for (size_t i = 0; i < n_pending && !matched; ++i) follow(pending[i]);
    if (!matched && (!start_only || pos == 0)) follow(0);
    if (matched) return true;
    if (at_end || (n_alive == 0 && start_only)) return false;
    n_pending = 0;
    for (size_t i = 0; i < n_alive; ++i) {
      const Inst& in = code[alive[i]];
      bool ok = false;
      switch (in.kind) {
        case Inst::Rune: ok = cur == static_cast<int32_t>(in.x); break;
        case Inst::Class: ok = classes[in.x].contains(cur); break;
        case Inst::Any: ok = true; break;
        default: ok = cur != '\n'; break;  // AnyNotNL
      }
      if (ok) pending[n_pending++] = alive[i] + 1;
    }
    prev = cur;
    pos += width;
  }
}

bool Regex::search(std::string_view text) const { return prog_->run(text, false); }
bool Regex::full_match(std::string_view text) const { return prog_->run(text, true); }
size_t Regex::program_size() const { return prog_->insts.size(); }

}  // namespace larder::util
