/*
 * token.c - encoding and decoding of schedule tokens (see token.h).
 */
#include "token.h"

#include <assert.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

static const char digits36[] = "0123456789abcdefghijklmnopqrstuvwxyz";

uint64_t sim_hash64(uint64_t h, const void *data, size_t len)
{
	const unsigned char *p = data;
	for (size_t i = 0; i < len; i++) {
		h ^= p[i];
		h *= 0x100000001b3ull;
	}
	return h;
}

static void put(char *buf, size_t size, size_t *len, const char *s)
{
	size_t n = strlen(s);
	if (*len < size) {
		size_t room = size - *len - 1;
		memcpy(buf + *len, s, n < room ? n : room);
		buf[*len + (n < room ? n : room)] = '\0';
	}
	*len += n;
}

size_t sim_token_encode(uint64_t hash, const uint32_t *dec, size_t count, char *buf, size_t size)
{
	char piece[24];
	size_t len = 0;
	assert(size > 0);
	buf[0] = '\0';
	snprintf(piece, sizeof(piece), "nfr1-%016llx-", (unsigned long long)hash);
	put(buf, size, &len, piece);
	for (size_t i = 0; i < count; i++) {
		if (dec[i] < 36) {
			piece[0] = digits36[dec[i]];
			piece[1] = '\0';
		} else {
			snprintf(piece, sizeof(piece), "_%u_", dec[i]);
		}
		put(buf, size, &len, piece);
	}
	return len;
}

static int digit_value(char c)
{
	const char *p = c ? strchr(digits36, c) : NULL;
	return p ? (int)(p - digits36) : -1;
}

static bool parse_hash(const char *s, uint64_t *out)
{
	uint64_t h = 0;
	for (int i = 0; i < 16; i++) {
		int v = digit_value(s[i]);
		if (v < 0 || v > 15)
			return false;
		h = (h << 4) | (uint64_t)v;
	}
	*out = h;
	return s[16] == '-';
}

static bool parse_body(const char *s, uint32_t *dec, size_t cap, size_t *count)
{
	size_t n = 0;
	while (*s) {
		uint64_t v = 0;
		if (*s == '_') {
			const char *start = ++s;
			while (*s >= '0' && *s <= '9' && v <= 0xffffffffull)
				v = v * 10 + (uint64_t)(*s++ - '0');
			if (s == start || *s != '_' || v > 0xffffffffull)
				return false;
			s++;
		} else {
			int d = digit_value(*s++);
			if (d < 0)
				return false;
			v = (uint64_t)d;
		}
		if (n == cap)
			return false;
		dec[n++] = (uint32_t)v;
	}
	*count = n;
	return true;
}

enum sim_token_status sim_token_decode(const char *text, uint64_t expected_hash, uint32_t *dec, size_t cap,
				       size_t *count)
{
	uint64_t h;
	*count = 0;
	if (strncmp(text, "nfr", 3) != 0)
		return SIM_TOKEN_MALFORMED;
	if (strncmp(text, "nfr1-", 5) != 0)
		return text[3] >= '0' && text[3] <= '9' ? SIM_TOKEN_VERSION : SIM_TOKEN_MALFORMED;
	if (strlen(text) < 5 + 17 || !parse_hash(text + 5, &h))
		return SIM_TOKEN_MALFORMED;
	if (!parse_body(text + 5 + 17, dec, cap, count))
		return SIM_TOKEN_MALFORMED;
	if (h != expected_hash)
		return SIM_TOKEN_STALE;
	return SIM_TOKEN_OK;
}

const char *sim_token_status_text(enum sim_token_status st)
{
	switch (st) {
	case SIM_TOKEN_OK:
		return "ok";
	case SIM_TOKEN_MALFORMED:
		return "not a schedule token (expected nfr1-<16 hex>-<decisions>)";
	case SIM_TOKEN_VERSION:
		return "schedule token of an unsupported version (this nfrace reads nfr1)";
	case SIM_TOKEN_STALE:
		return "stale schedule token: it was made for another scenario, model version or fix set";
	}
	return "unknown token status";
}
