// Copies a toml++ document into nodes that the C functions of theme_toml.h hand to Swift.
#define TOML_HEADER_ONLY 1
#define TOML_EXCEPTIONS 0
#define TOML_ENABLE_FORMATTERS 0
#include <toml++/toml.h>

#include <algorithm>
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

} // namespace

extern "C" nsl_toml_document *nsl_toml_parse(const char *text, size_t length, char *error, size_t error_size,
                                             int *line, int *column) {
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
