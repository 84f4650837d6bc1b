/*
 * scenario_yaml.h - the loader's internals shared by its files: the helpers
 * that walk a libyaml node tree (scenario_yaml.c), used by the sections
 * (scenario_load.c: the packet-race sections; scenario_load_time.c: timing:
 * and events:).  Every checker reports through yl_fail(), which records the
 * node's line and column and the key path, and returns -1.
 */
#ifndef NFRACE_SCENARIO_YAML_H
#define NFRACE_SCENARIO_YAML_H

#include "scenario.h"
#include "scenario_load.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <yaml.h>

#if defined(__GNUC__)
#define PRINTF_LIKE(f, a) __attribute__((format(printf, f, a)))
#else
#define PRINTF_LIKE(f, a)
#endif

enum {
	PATH_LEN = sizeof(((struct scenario_error *)0)->key),
	FIELDS_MAX = 20,          /* most keys any mapping in the format allows */
	VALUE_LEN = 128,          /* longest short scalar (address, preset, ...) */
	FILE_SIZE_MAX = 1 << 20,  /* scenario files are a few hundred bytes; 1 MiB is allowed */
	NEST_MAX = 32,            /* mappings and lists within each other (the format needs 5) */
	ANCHORS_MAX = 256,        /* anchors (&a) in one file */
	ALIASES_MAX = 1024,       /* aliases (*a) in one file */
	NODES_MAX = 10000,        /* scalars, lists and mappings in one file (the format needs under 1000) */
	CPU_MAX = 7,
};

struct loader {
	yaml_document_t *doc;
	struct scenario_error *err;
	struct scenario *out;
	struct scenario_marks *marks; /* where entries are in the text; may be NULL */
};

/* One allowed key of a mapping; see yl_map_fields(). */
struct field {
	const char *key;
	bool required;
};

/* The key and value nodes yl_map_fields() found, indexed like the field table. */
struct fields {
	yaml_node_t *key[FIELDS_MAX];
	yaml_node_t *value[FIELDS_MAX];
};

/* yl_fail - record an error at node with key path and message; returns -1. */
PRINTF_LIKE(4, 5)
int yl_fail(struct loader *ld, const yaml_node_t *node, const char *path, const char *fmt, ...);

/* yl_fail_mark - the same at a libyaml mark (parser errors, empty documents). */
PRINTF_LIKE(4, 5)
int yl_fail_mark(struct loader *ld, yaml_mark_t mark, const char *path, const char *fmt, ...);

/* yl_path_key / yl_path_index - "parent.key" / "parent[index]" into buf. */
const char *yl_path_key(char buf[PATH_LEN], const char *parent, const char *key);
const char *yl_path_index(char buf[PATH_LEN], const char *parent, size_t index);

enum num_result { NUM_OK, NUM_SYNTAX, NUM_RANGE };

/* yl_parse_decimal - s[0..len) as a strict decimal: digits only, no sign, no
 * leading zero unless the number is 0, value <= max; *out only on NUM_OK. */
enum num_result yl_parse_decimal(const char *s, size_t len, uint32_t max, uint32_t *out);

/* yl_node_at - the document node with id. */
yaml_node_t *yl_node_at(struct loader *ld, int id);

/* yl_node_kind - "a mapping", "a list", "an empty value" or "a scalar", for messages. */
const char *yl_node_kind(const yaml_node_t *n);

/* yl_want_type - fail unless n has type t. */
int yl_want_type(struct loader *ld, const yaml_node_t *n, yaml_node_type_t t, const char *path);

/* yl_scalar_text - n's text into buf (fails if not a scalar or too long). */
int yl_scalar_text(struct loader *ld, const yaml_node_t *n, const char *path, char *buf, size_t size);

/* yl_scalar_is - whether n is the scalar s. */
bool yl_scalar_is(const yaml_node_t *n, const char *s);

/* yl_key_label - a printable form of key node k, for paths. */
const char *yl_key_label(const yaml_node_t *k, char buf[PATH_LEN]);

/* yl_map_fields - check map's keys against fields[0..count) (unknown,
 * duplicate, missing required); fill found. */
int yl_map_fields(struct loader *ld, yaml_node_t *map, const char *path, const struct field *fields, size_t count,
		  struct fields *found);

/* yl_seq_items - check that seq is a list of min..max items; *count gets its length. */
int yl_seq_items(struct loader *ld, yaml_node_t *seq, const char *path, size_t min, size_t max, const char *what,
		 size_t *count);

/* yl_seq_item - item i of seq. */
yaml_node_t *yl_seq_item(struct loader *ld, yaml_node_t *seq, size_t i);

/* yl_load_bool - true | false. */
int yl_load_bool(struct loader *ld, yaml_node_t *n, const char *path, bool *out);

/* yl_load_u32 - a decimal integer in [min, max]. */
int yl_load_u32(struct loader *ld, yaml_node_t *n, const char *path, uint32_t min, uint32_t max, uint32_t *out);

#endif /* NFRACE_SCENARIO_YAML_H */
