/*
 * token.h - schedule tokens: the compact, versioned text form of one
 * execution's decisions.
 *
 *   nfr1-<16 hex digits: program hash>-<decisions>
 *
 * Each decision below 36 is one character of [0-9a-z]; a larger one is
 * written "_<decimal>_".  An execution without decisions is "nfr1-<hash>-".
 * The hash covers scenario, model version and fix set, so a token replayed
 * against anything else is refused instead of replaying another execution.
 * Tokens use only characters that need no quoting in a shell.
 */
#ifndef NFRACE_TOKEN_H
#define NFRACE_TOKEN_H

#include <stddef.h>
#include <stdint.h>

enum { SIM_TOKEN_DECISIONS_MAX = 4096 };

enum sim_token_status {
	SIM_TOKEN_OK = 0,
	SIM_TOKEN_MALFORMED = 1, /* not a token of any version */
	SIM_TOKEN_VERSION = 2,   /* a token, but not version 1 */
	SIM_TOKEN_STALE = 3,     /* made for another scenario, model version or fix set */
};

/* sim_token_encode - write the token for (hash, dec[0..count)) into buf.
 * Returns the length it needed (excluding NUL); the output is truncated but
 * NUL-terminated when size is too small. */
size_t sim_token_encode(uint64_t hash, const uint32_t *dec, size_t count, char *buf, size_t size);

/* sim_token_decode - parse text; check its hash against expected_hash.
 * On SIM_TOKEN_OK, dec[0..*count) holds the decisions (at most cap). */
enum sim_token_status sim_token_decode(const char *text, uint64_t expected_hash, uint32_t *dec, size_t cap,
				       size_t *count);

/* sim_token_status_text - a one-line explanation of a status. */
const char *sim_token_status_text(enum sim_token_status st);

/* sim_hash64 - FNV-1a over bytes, chained from h (start with SIM_HASH_INIT). */
#define SIM_HASH_INIT 0xcbf29ce484222325ull
uint64_t sim_hash64(uint64_t h, const void *data, size_t len);

#endif /* NFRACE_TOKEN_H */
