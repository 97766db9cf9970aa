// Copies a toml++ document into nodes that the C functions of theme_toml.h hand to Swift.
#define TOML_HEADER_ONLY 1
#define TOML_EXCEPTIONS 0
#define TOML_ENABLE_FORMATTERS 0
#include <toml++/toml.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "theme_toml.h"

struct nsl_toml_node {
    nsl_toml_kind kind = NSL_TOML_OTHER;
    /// A string's bytes, or the type name of a kind themes do not use.
    std::string text;
    int64_t integer = 0;
    /// Where the value starts in the file (1-based; 0 when toml++ does not know), for lesson messages.
    int line = 0, column = 0;
    /// Children with their keys (empty keys in arrays), in file order.
    std::vector<std::pair<std::string, std::unique_ptr<nsl_toml_node>>> children;
};

struct nsl_toml_document {
    nsl_toml_node root;
};

namespace {

void copy_node(const toml::node &from, nsl_toml_node &to);

/// Table entries in the order they appear in the file; toml++ keeps them sorted by key.
void copy_table(const toml::table &table, nsl_toml_node &to) {
    to.kind = NSL_TOML_TABLE;
    std::vector<std::pair<const toml::key *, const toml::node *>> entries;
    for (auto &&[key, value] : table) entries.emplace_back(&key, &value);
    std::stable_sort(entries.begin(), entries.end(), [](const auto &a, const auto &b) {
        const auto &pa = a.first->source().begin, &pb = b.first->source().begin;
        return pa.line != pb.line ? pa.line < pb.line : pa.column < pb.column;
    });
    for (auto &[key, value] : entries) {
        auto child = std::make_unique<nsl_toml_node>();
        copy_node(*value, *child);
        to.children.emplace_back(std::string(key->str()), std::move(child));
    }
}

void copy_node(const toml::node &from, nsl_toml_node &to) {
    to.line = static_cast<int>(from.source().begin.line);
    to.column = static_cast<int>(from.source().begin.column);
    switch (from.type()) {
    case toml::node_type::table:
        copy_table(*from.as_table(), to);
        break;
    case toml::node_type::array:
        to.kind = NSL_TOML_ARRAY;
        for (const auto &element : *from.as_array()) {
            auto child = std::make_unique<nsl_toml_node>();
            copy_node(element, *child);
            to.children.emplace_back(std::string(), std::move(child));
        }
        break;
    case toml::node_type::string:
        to.kind = NSL_TOML_STRING;
        to.text = from.as_string()->get();
        break;
    case toml::node_type::integer:
        to.kind = NSL_TOML_INTEGER;
        to.integer = from.as_integer()->get();
        break;
    case toml::node_type::boolean:
        to.kind = NSL_TOML_BOOLEAN;
        to.integer = from.as_boolean()->get() ? 1 : 0;
        to.text = "boolean";
        break;
    case toml::node_type::floating_point: to.text = "float"; break;
    case toml::node_type::date: to.text = "date"; break;
    case toml::node_type::time: to.text = "time"; break;
    case toml::node_type::date_time: to.text = "date-time"; break;
    default: to.text = "value"; break;
    }
}

// ---- Nesting depth, checked before toml++ sees the text ----------------------------------------------
//
// toml++ recurses once per level of nesting, both while it parses inline arrays and tables and while it frees
// the tree, and so does copy_node: a 70 KB theme of [a.a.a...] with 35,000 parts overflowed the stack while
// its value was freed (SIGSEGV). This scanner walks the text once, without recursion and without building
// anything, and refuses a document whose tables, dotted keys and inline values nest deeper than
// max_nesting. It reads just enough TOML to tell keys, strings and comments apart; everything else it leaves
// to toml++, which still reports any syntax error. (An array of tables adds a level per [[header]] that the
// count sees only once; the depth stays bounded by about twice max_nesting, which is what matters.)

/// Deepest nesting a theme may have; the shipped themes use three levels.
constexpr int max_nesting = 64;

class nesting_scanner {
  public:
    explicit nesting_scanner(std::string_view text) : text_(text) {}

    /// True when the text nests deeper than max_nesting; `line` and `column` (1-based) are where it does.
    bool too_deep(int &line, int &column) {
        int table_depth = 0;  // levels of the current [table] or [[array of tables]]
        while (!at_end()) {
            skip_blanks_and_comments(true);
            if (at_end()) break;
            if (peek() == '[') {
                advance();
                int extra = 0;
                if (peek() == '[') {
                    advance();
                    extra = 1;  // the array, then its table
                }
                table_depth = 0;
                // toml++ asserts (in a release build: assumes) that a table name starts here; "[\na]",
                // "[[=]]" or "[.a]" broke that, so they are refused here as its own syntax errors would be.
                while (peek() == ' ' || peek() == '\t') advance();
                char first = peek();
                if (!at_end() && !is_bare_key(first) && first != '"' && first != '\'' && first != ']') {
                    bad_header_ = true;
                    too_deep_here();
                    return report(line, column);
                }
                if (!scan_key(extra, table_depth)) return report(line, column);
                table_depth += extra;
                skip_line();
                continue;
            }
            int key_depth = 0;
            if (!scan_key(table_depth, key_depth)) return report(line, column);
            if (!scan_value(table_depth + key_depth)) return report(line, column);
        }
        return false;
    }

  private:
    std::string_view text_;
    size_t at_ = 0;
    int line_ = 1, column_ = 1;
    int bad_line_ = 0, bad_column_ = 0;

  public:
    /// True when the refusal was a table header without a name, not the depth.
    bool bad_header_ = false;

  private:

    bool at_end() const { return at_ >= text_.size(); }
    char peek(size_t ahead = 0) const { return at_ + ahead < text_.size() ? text_[at_ + ahead] : '\0'; }

    void advance() {
        if (at_end()) return;
        unsigned char byte = static_cast<unsigned char>(text_[at_++]);
        if (byte == '\n') {
            line_++;
            column_ = 1;
        } else if ((byte & 0xC0) != 0x80) {
            column_++;  // columns count characters, as toml++'s do, not UTF-8 continuation bytes
        }
    }

    /// Remembers the current place as the one that went too deep; always false, to return at once.
    bool too_deep_here() {
        bad_line_ = line_;
        bad_column_ = column_;
        return false;
    }

    bool report(int &line, int &column) const {
        line = bad_line_;
        column = bad_column_;
        return true;
    }

    void skip_blanks_and_comments(bool newlines) {
        while (!at_end()) {
            char c = peek();
            if (c == ' ' || c == '\t' || c == '\r' || (newlines && c == '\n')) {
                advance();
            } else if (c == '#') {
                while (!at_end() && peek() != '\n') advance();
            } else {
                break;
            }
        }
    }

    void skip_line() {
        while (!at_end() && peek() != '\n') {
            if (peek() == '"' || peek() == '\'') {
                skip_string();
            } else {
                advance();
            }
        }
    }

    /// Skips a basic, literal or multi-line string starting at the quote.
    void skip_string() {
        char quote = peek();
        bool multiline = peek(1) == quote && peek(2) == quote;
        for (int i = 0; i < (multiline ? 3 : 1); i++) advance();
        while (!at_end()) {
            char c = peek();
            if (c == '\\' && quote == '"') {
                advance();
                advance();
            } else if (c == quote && (!multiline || (peek(1) == quote && peek(2) == quote))) {
                for (int i = 0; i < (multiline ? 3 : 1); i++) advance();
                return;
            } else if (c == '\n' && !multiline) {
                return;  // unterminated: toml++ says so
            } else {
                advance();
            }
        }
    }

    static bool is_bare_key(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
    }

    /// Reads a (dotted) key up to '=' or ']'; `parts` is how many levels it names. False when `base` plus
    /// them passes the limit.
    bool scan_key(int base, int &parts) {
        parts = 1;
        if (base + parts > max_nesting) return too_deep_here();
        while (!at_end()) {
            char c = peek();
            if (c == '"' || c == '\'') {
                skip_string();
            } else if (c == '.') {
                advance();
                if (base + ++parts > max_nesting) return too_deep_here();
            } else if (is_bare_key(c) || c == ' ' || c == '\t') {
                advance();
            } else {
                break;  // '=', ']', or something toml++ will refuse
            }
        }
        return true;
    }

    /// Reads the value after a key's '=' to the end of its statement; `base` levels are already open.
    bool scan_value(int base) {
        if (peek() == '=') advance();
        // Open inline arrays ('[') and tables ('{'); in a table, whether a key comes next.
        std::vector<char> open;
        bool expect_key = false;
        while (!at_end()) {
            char c = peek();
            if (open.empty() && (c == '\n' || c == '#')) break;
            if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
                advance();
            } else if (c == '#') {
                while (!at_end() && peek() != '\n') advance();
            } else if (c == '"' || c == '\'') {
                if (expect_key) {
                    int parts = 0;
                    if (!scan_key(base + static_cast<int>(open.size()), parts)) return false;
                    expect_key = false;
                } else {
                    skip_string();
                }
            } else if (c == '[' || c == '{') {
                open.push_back(c);
                if (base + static_cast<int>(open.size()) > max_nesting) return too_deep_here();
                advance();
                expect_key = c == '{';
            } else if (c == ']' || c == '}') {
                if (!open.empty()) open.pop_back();
                advance();
                expect_key = false;
            } else if (c == ',') {
                advance();
                expect_key = !open.empty() && open.back() == '{';
            } else if (c == '=') {
                advance();
                expect_key = false;
            } else if (expect_key && is_bare_key(c)) {
                int parts = 0;
                if (!scan_key(base + static_cast<int>(open.size()), parts)) return false;
                expect_key = false;
            } else {
                advance();  // numbers, booleans, dates: nothing nests in them
            }
        }
        return true;
    }
};

} // namespace

extern "C" nsl_toml_document *nsl_toml_parse(const char *text, size_t length, char *error, size_t error_size,
                                             int *line, int *column) {
    int deep_line = 0, deep_column = 0;
    nesting_scanner scanner(std::string_view(text, length));
    if (scanner.too_deep(deep_line, deep_column)) {
        if (error && error_size > 0 && scanner.bad_header_) {
            std::snprintf(error, error_size, "expected a table name (a bare or quoted key) after '['");
        } else if (error && error_size > 0) {
            std::snprintf(error, error_size, "tables, keys and values nest more than %d levels deep", max_nesting);
        }
        if (line) *line = deep_line;
        if (column) *column = deep_column;
        return nullptr;
    }
    toml::parse_result result = toml::parse(std::string_view(text, length));
    if (!result) {
        const toml::parse_error &failure = result.error();
        if (error && error_size > 0) {
            std::string_view message = failure.description();
            size_t n = std::min(message.size(), error_size - 1);
            std::memcpy(error, message.data(), n);
            error[n] = '\0';
        }
        if (line) *line = static_cast<int>(failure.source().begin.line);
        if (column) *column = static_cast<int>(failure.source().begin.column);
        return nullptr;
    }
    auto document = new (std::nothrow) nsl_toml_document();
    if (!document) return nullptr;
    copy_table(result.table(), document->root);
    return document;
}

extern "C" void nsl_toml_free(nsl_toml_document *document) { delete document; }

extern "C" const nsl_toml_node *nsl_toml_root(const nsl_toml_document *document) { return &document->root; }

extern "C" nsl_toml_kind nsl_toml_node_kind(const nsl_toml_node *node) { return node->kind; }

extern "C" size_t nsl_toml_node_count(const nsl_toml_node *node) { return node->children.size(); }

extern "C" const nsl_toml_node *nsl_toml_node_child(const nsl_toml_node *node, size_t index) {
    return index < node->children.size() ? node->children[index].second.get() : nullptr;
}

extern "C" const char *nsl_toml_node_key(const nsl_toml_node *node, size_t index, size_t *length) {
    if (node->kind != NSL_TOML_TABLE || index >= node->children.size()) return nullptr;
    const std::string &key = node->children[index].first;
    if (length) *length = key.size();
    return key.data();
}

extern "C" const char *nsl_toml_node_text(const nsl_toml_node *node, size_t *length) {
    if (length) *length = node->text.size();
    return node->text.data();
}

extern "C" int64_t nsl_toml_node_integer(const nsl_toml_node *node) { return node->integer; }

extern "C" int nsl_toml_node_line(const nsl_toml_node *node) { return node->line; }

extern "C" int nsl_toml_node_column(const nsl_toml_node *node) { return node->column; }
