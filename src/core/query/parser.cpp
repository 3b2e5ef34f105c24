// Iterative filter parser (see parser.h).
#include "core/query/parser.h"

#include "core/json/json.h"
#include "core/query/errors.h"

namespace larder::query {

namespace {

bool is_operand(const Token& t) {
  return t.type == TokenType::Identifier || t.type == TokenType::Number || t.type == TokenType::Text ||
         t.type == TokenType::Function;
}

struct Frame {
  std::vector<Node> items;
  JoinOp join = JoinOp::And;
};

// Closes a group: dropped when empty, replaced by its only item, else kept as a group node.
void close_group(Frame&& f, std::vector<Node>& parent) {
  if (f.items.empty()) return;
  if (f.items.size() == 1) {
    Node only = std::move(f.items.front());
    only.join = f.join;
    parent.push_back(std::move(only));
    return;
  }
  Node g;
  g.join = f.join;
  g.is_group = true;
  g.items = std::move(f.items);
  parent.push_back(std::move(g));
}

void render(const std::vector<Node>& items, std::string& out) {
  for (size_t i = 0; i < items.size(); ++i) {
    const Node& n = items[i];
    if (i > 0) out += n.join == JoinOp::And ? " && " : " || ";
    if (n.is_group) {
      out += '(';
      render(n.items, out);
      out += ')';
    } else {
      out += to_string(n.cmp.left);
      out += ' ';
      out += sign_text(n.cmp.op);
      out += ' ';
      out += to_string(n.cmp.right);
    }
  }
}

}  // namespace

Expression parse(std::string_view input, size_t max_comparisons) {
  if (input.size() > kMaxExpressionBytes) throw FilterError("filter expression too long");
  std::vector<Token> tokens = lex(input);

  enum class State { BeforeTerm, AfterLeft, AfterSign, AfterTerm };
  State state = State::BeforeTerm;
  JoinOp pending = JoinOp::And;
  Comparison cmp;
  size_t comparisons = 0;
  std::vector<Frame> stack(1);
  bool just_opened = false;

  for (Token& t : tokens) {
    const bool opened_before = just_opened;
    just_opened = false;
    switch (state) {
      case State::BeforeTerm:
        if (t.type == TokenType::LParen) {
          if (stack.size() > kMaxGroupDepth) throw FilterError("filter expression nested too deeply");
          stack.push_back(Frame{{}, pending});
          pending = JoinOp::And;
          just_opened = true;
        } else if (t.type == TokenType::RParen && opened_before) {
          // "()": an empty group, dropped.
          stack.pop_back();
          state = State::AfterTerm;
        } else if (is_operand(t)) {
          cmp.left = std::move(t);
          state = State::AfterLeft;
        } else {
          throw FilterError("invalid or incomplete filter expression: expected an operand, got " +
                            std::string(token_type_name(t.type)));
        }
        break;
      case State::AfterLeft:
        if (t.type != TokenType::Sign) throw FilterError("expected a sign operator, got " + std::string(token_type_name(t.type)));
        parse_sign(t.text, cmp.op);  // validated by the lexer
        state = State::AfterSign;
        break;
      case State::AfterSign: {
        if (!is_operand(t)) throw FilterError("expected a right operand, got " + std::string(token_type_name(t.type)));
        if (++comparisons > max_comparisons) throw FilterError("max filter expressions limit reached");
        cmp.right = std::move(t);
        Node n;
        n.join = pending;
        n.cmp = std::move(cmp);
        cmp = Comparison{};
        stack.back().items.push_back(std::move(n));
        state = State::AfterTerm;
        break;
      }
      case State::AfterTerm:
        if (t.type == TokenType::Join) {
          pending = t.text == "||" ? JoinOp::Or : JoinOp::And;
          state = State::BeforeTerm;
        } else if (t.type == TokenType::RParen) {
          if (stack.size() == 1) throw FilterError("unbalanced ')'");
          Frame f = std::move(stack.back());
          stack.pop_back();
          close_group(std::move(f), stack.back().items);
        } else {
          throw FilterError("expected && or ||, got " + std::string(token_type_name(t.type)));
        }
        break;
    }
  }

  if (stack.size() > 1) throw FilterError("invalid formatted group - missing closing bracket(s)");
  Frame& top = stack.front();
  if (state != State::AfterTerm || top.items.empty()) {
    if (top.items.empty() && state != State::AfterLeft && state != State::AfterSign)
      throw FilterError("empty filter expression");
    throw FilterError("invalid or incomplete filter expression");
  }
  Expression e;
  e.items = std::move(top.items);
  e.comparisons = comparisons;
  return e;
}

std::string to_string(const Token& t) {
  switch (t.type) {
    case TokenType::Text: {
      std::string out;
      json::write_string(t.text, out);
      return out;
    }
    case TokenType::Function: {
      std::string out = t.text + "(";
      for (size_t i = 0; i < t.args.size(); ++i) {
        if (i) out += ", ";
        out += to_string(t.args[i]);
      }
      return out + ")";
    }
    default:
      return t.text;
  }
}

std::string to_string(const Expression& e) {
  std::string out;
  render(e.items, out);
  return out;
}

}  // namespace larder::query
