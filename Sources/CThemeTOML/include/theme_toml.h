// A small C view of a parsed TOML document, for the dashboard's theme files.
//
// The parsing is toml++ (Debian's libtomlplusplus-dev, used header-only). Swift cannot call C++ directly here,
// so this target copies the document into plain nodes that Swift reads through these functions. Linking
// toml++ this way keeps Foundation out of nslab: the Swift TOML wrapper it replaced imported Foundation, whose
// start-up constructors alone cost every `nslab run` about 0.35 ms and 80 page faults.
#ifndef NSLAB_THEME_TOML_H
#define NSLAB_THEME_TOML_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// What a node holds. Kinds a theme never uses (floats, dates, times) are all "other".
typedef enum {
    NSL_TOML_TABLE = 0,
    NSL_TOML_ARRAY = 1,
    NSL_TOML_STRING = 2,
    NSL_TOML_INTEGER = 3,
    NSL_TOML_BOOLEAN = 4,
    NSL_TOML_OTHER = 5,
} nsl_toml_kind;

/// A parsed document; free it with nsl_toml_free.
typedef struct nsl_toml_document nsl_toml_document;
/// One value inside a document, valid as long as the document.
typedef struct nsl_toml_node nsl_toml_node;

/// Parses `length` bytes of TOML. On failure returns NULL and fills `error` (NUL-terminated, cut to
/// `error_size`), `line` and `column` (1-based).
nsl_toml_document *nsl_toml_parse(const char *text, size_t length, char *error, size_t error_size, int *line,
                                  int *column);
/// Frees a document and all its nodes.
void nsl_toml_free(nsl_toml_document *document);
/// The top-level table.
const nsl_toml_node *nsl_toml_root(const nsl_toml_document *document);

/// The node's kind.
nsl_toml_kind nsl_toml_node_kind(const nsl_toml_node *node);
/// Entries of a table or elements of an array; 0 for anything else.
size_t nsl_toml_node_count(const nsl_toml_node *node);
/// The i-th child of a table or array, in the order they appear in the file.
const nsl_toml_node *nsl_toml_node_child(const nsl_toml_node *node, size_t index);
/// The key of a table's i-th child (UTF-8, `*length` bytes); NULL for arrays.
const char *nsl_toml_node_key(const nsl_toml_node *node, size_t index, size_t *length);
/// A string's UTF-8 bytes (`*length` of them); for other kinds a short type name ("float", "date", ...).
const char *nsl_toml_node_text(const nsl_toml_node *node, size_t *length);
/// An integer's value, or a boolean's 0/1; 0 for other kinds.
int64_t nsl_toml_node_integer(const nsl_toml_node *node);
/// The 1-based line and column where the node's value starts in the text (0 when unknown); lesson files
/// report their mistakes there.
int nsl_toml_node_line(const nsl_toml_node *node);
int nsl_toml_node_column(const nsl_toml_node *node);

#ifdef __cplusplus
}
#endif

#endif
