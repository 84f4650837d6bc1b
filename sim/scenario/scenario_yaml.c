/*
 * scenario_yaml.c - the loader's helpers for walking a libyaml node tree
 * (scenario_yaml.h): positioned errors with key paths, node access, mappings
 * checked against a table of allowed keys, lists with bounds, and typed
 * values.  They know YAML and struct scenario_error, not the scenario
 * format: the sections (scenario_load.c, scenario_load_time.c) are built on
 * them, and nothing here calls back into a section.
 */
#include "scenario_yaml.h"

#include <assert.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* ------------------------------------------------------------------------ */
/* Errors and key paths                                                      */

static void error_set_v(struct scenario_error *err, size_t line0, size_t column0,
			const char *path, const char *fmt, va_list ap)
{
	err->line = (unsigned)(line0 + 1);
	err->column = (unsigned)(column0 + 1);
	snprintf(err->key, sizeof(err->key), "%s", path);
	vsnprintf(err->message, sizeof(err->message), fmt, ap);
}

/* yl_fail_mark - record an error at a libyaml mark; always returns -1. */
PRINTF_LIKE(4, 5)
int yl_fail_mark(struct loader *ld, yaml_mark_t mark, const char *path, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	error_set_v(ld->err, mark.line, mark.column, path, fmt, ap);
	va_end(ap);
	return -1;
}

/* yl_fail - record an error at the start of node; always returns -1. */
PRINTF_LIKE(4, 5)
int yl_fail(struct loader *ld, const yaml_node_t *node, const char *path, const char *fmt, ...)
{
	va_list ap;
	assert(node != NULL);
	va_start(ap, fmt);
	error_set_v(ld->err, node->start_mark.line, node->start_mark.column, path, fmt, ap);
	va_end(ap);
	return -1;
}

/* path_append - append text[0..len) to the C string in buf[PATH_LEN].  Paths
 * are for people, so an over-long one is silently truncated. */
static void path_append(char buf[PATH_LEN], const char *text, size_t len)
{
	size_t used = strlen(buf);
	assert(used < PATH_LEN);
	if (len > PATH_LEN - 1 - used)
		len = PATH_LEN - 1 - used;
	memcpy(buf + used, text, len);
	buf[used + len] = '\0';
}

/* path_key - buf = "parent.key" (or "key" at the top); returns buf. */
const char *yl_path_key(char buf[PATH_LEN], const char *parent, const char *key)
{
	assert(buf != parent);
	buf[0] = '\0';
	path_append(buf, parent, strlen(parent));
	if (parent[0] != '\0')
		path_append(buf, ".", 1);
	path_append(buf, key, strlen(key));
	return buf;
}

/* path_index - buf = "parent[index]"; returns buf. */
const char *yl_path_index(char buf[PATH_LEN], const char *parent, size_t index)
{
	char suffix[3 * sizeof(size_t) + 3];
	if (snprintf(suffix, sizeof(suffix), "[%zu]", index) < 0)
		suffix[0] = '\0';
	assert(buf != parent);
	buf[0] = '\0';
	path_append(buf, parent, strlen(parent));
	path_append(buf, suffix, strlen(suffix));
	return buf;
}

/* ------------------------------------------------------------------------ */
/* Decimal numbers                                                           */

enum num_result yl_parse_decimal(const char *s, size_t len, uint32_t max, uint32_t *out)
{
	uint32_t v = 0;
	if (len == 0 || (len > 1 && s[0] == '0'))
		return NUM_SYNTAX;
	for (size_t i = 0; i < len; i++)
		if (s[i] < '0' || s[i] > '9')
			return NUM_SYNTAX;
	for (size_t i = 0; i < len; i++) {
		uint32_t d = (uint32_t)(s[i] - '0');
		if (d > max || v > (max - d) / 10)
			return NUM_RANGE;
		v = v * 10 + d;
	}
	*out = v;
	return NUM_OK;
}

/* ------------------------------------------------------------------------ */
/* Node access                                                               */

yaml_node_t *yl_node_at(struct loader *ld, int id)
{
	yaml_node_t *n = yaml_document_get_node(ld->doc, id);
	assert(n != NULL);
	return n;
}

const char *yl_node_kind(const yaml_node_t *n)
{
	if (n->type == YAML_MAPPING_NODE)
		return "a mapping";
	if (n->type == YAML_SEQUENCE_NODE)
		return "a list";
	if (n->data.scalar.length == 0 && n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE)
		return "an empty value";
	return "a scalar";
}

/* want_type - fail unless n is of type t. */
int yl_want_type(struct loader *ld, const yaml_node_t *n, yaml_node_type_t t, const char *path)
{
	static const char *const names[] = {
		[YAML_SCALAR_NODE] = "a scalar",
		[YAML_SEQUENCE_NODE] = "a list",
		[YAML_MAPPING_NODE] = "a mapping",
	};
	assert(t == YAML_SCALAR_NODE || t == YAML_SEQUENCE_NODE || t == YAML_MAPPING_NODE);
	if (n->type == t)
		return 0;
	return yl_fail(ld, n, path, "expected %s, found %s", names[t], yl_node_kind(n));
}

/* scalar_text - copy scalar n into buf[size] as a C string.  Fails when n is
 * not a scalar, holds a NUL byte, or does not fit. */
int yl_scalar_text(struct loader *ld, const yaml_node_t *n, const char *path, char *buf,
		       size_t size)
{
	size_t len;
	assert(size > 0);
	if (yl_want_type(ld, n, YAML_SCALAR_NODE, path) != 0)
		return -1;
	len = n->data.scalar.length;
	if (memchr(n->data.scalar.value, '\0', len) != NULL)
		return yl_fail(ld, n, path, "the value contains a NUL character");
	if (len >= size)
		return yl_fail(ld, n, path, "the value is too long (at most %zu characters)", size - 1);
	memcpy(buf, n->data.scalar.value, len);
	buf[len] = '\0';
	return 0;
}

/* scalar_is - true when scalar n is exactly the text s. */
bool yl_scalar_is(const yaml_node_t *n, const char *s)
{
	size_t len = strlen(s);
	assert(n->type == YAML_SCALAR_NODE);
	return n->data.scalar.length == len && memcmp(n->data.scalar.value, s, len) == 0;
}

/* key_label - the key scalar k as a C string for paths and messages,
 * truncated to fit (and at an embedded NUL). */
const char *yl_key_label(const yaml_node_t *k, char buf[PATH_LEN])
{
	assert(k->type == YAML_SCALAR_NODE);
	buf[0] = '\0';
	path_append(buf, (const char *)k->data.scalar.value, k->data.scalar.length);
	return buf;
}

/* ------------------------------------------------------------------------ */
/* Mappings and lists                                                        */

static void field_list(const struct field *fields, size_t count, char *buf, size_t size)
{
	size_t used = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < count && used < size; i++) {
		int n = snprintf(buf + used, size - used, "%s%s", i ? ", " : "", fields[i].key);
		assert(n >= 0);
		used += (size_t)n;
	}
}

/* map_field - place one key/value pair of a mapping into found. */
static int map_field(struct loader *ld, const yaml_node_pair_t *pair, const char *path,
		     const struct field *fields, size_t count, struct fields *found)
{
	yaml_node_t *k = yl_node_at(ld, pair->key);
	char label[PATH_LEN];
	char child[PATH_LEN];
	char allowed[160];
	if (k->type != YAML_SCALAR_NODE)
		return yl_fail(ld, k, path, "a key must be a scalar, found %s", yl_node_kind(k));
	yl_path_key(child, path, yl_key_label(k, label));
	for (size_t i = 0; i < count; i++) {
		if (!yl_scalar_is(k, fields[i].key))
			continue;
		if (found->key[i] != NULL)
			return yl_fail(ld, k, child, "duplicate key (first at line %u)",
				    (unsigned)found->key[i]->start_mark.line + 1);
		found->key[i] = k;
		found->value[i] = yl_node_at(ld, pair->value);
		return 0;
	}
	field_list(fields, count, allowed, sizeof(allowed));
	return yl_fail(ld, k, child, "unknown key (allowed: %s)", allowed);
}

/*
 * map_fields - check that map is a mapping whose keys are all in fields[0..count),
 * each at most once, with every required one present; fill found.  Missing
 * keys are reported at the start of the mapping.
 */
int yl_map_fields(struct loader *ld, yaml_node_t *map, const char *path,
		      const struct field *fields, size_t count, struct fields *found)
{
	char child[PATH_LEN];
	assert(count <= FIELDS_MAX);
	memset(found, 0, sizeof(*found));
	if (yl_want_type(ld, map, YAML_MAPPING_NODE, path) != 0)
		return -1;
	for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top; p++)
		if (map_field(ld, p, path, fields, count, found) != 0)
			return -1;
	for (size_t i = 0; i < count; i++)
		if (fields[i].required && found->value[i] == NULL)
			return yl_fail(ld, map, yl_path_key(child, path, fields[i].key), "missing required key");
	return 0;
}

/* seq_items - check that seq is a list of min..max items; *count gets the length.
 * Too many items is reported at the first one past the limit. */
int yl_seq_items(struct loader *ld, yaml_node_t *seq, const char *path, size_t min,
		     size_t max, const char *what, size_t *count)
{
	char child[PATH_LEN];
	size_t n;
	if (yl_want_type(ld, seq, YAML_SEQUENCE_NODE, path) != 0)
		return -1;
	n = (size_t)(seq->data.sequence.items.top - seq->data.sequence.items.start);
	if (n > max)
		return yl_fail(ld, yl_node_at(ld, seq->data.sequence.items.start[max]),
			    yl_path_index(child, path, max), "too many %s (at most %zu)", what, max);
	if (n < min)
		return yl_fail(ld, seq, path, "too few %s (at least %zu)", what, min);
	*count = n;
	return 0;
}

yaml_node_t *yl_seq_item(struct loader *ld, yaml_node_t *seq, size_t i)
{
	return yl_node_at(ld, seq->data.sequence.items.start[i]);
}

/* ------------------------------------------------------------------------ */
/* Typed values                                                              */

int yl_load_u32(struct loader *ld, yaml_node_t *n, const char *path, uint32_t min, uint32_t max, uint32_t *out)
{
	char text[VALUE_LEN];
	enum num_result r;
	if (yl_scalar_text(ld, n, path, text, sizeof(text)) != 0)
		return -1;
	r = yl_parse_decimal(text, strlen(text), max, out);
	if (r == NUM_SYNTAX)
		return yl_fail(ld, n, path, "'%s' is not a decimal integer", text);
	if (r == NUM_RANGE || *out < min)
		return yl_fail(ld, n, path, "'%s' is out of range (%u..%u)", text, min, max);
	return 0;
}

int yl_load_bool(struct loader *ld, yaml_node_t *n, const char *path, bool *out)
{
	if (yl_want_type(ld, n, YAML_SCALAR_NODE, path) != 0)
		return -1;
	if (yl_scalar_is(n, "true") || yl_scalar_is(n, "false")) {
		*out = yl_scalar_is(n, "true");
		return 0;
	}
	return yl_fail(ld, n, path, "expected true or false");
}
