/*
 * fuzz_token.c - libFuzzer harness for schedule tokens: any text decodes to a
 * status; a token that decodes re-encodes to the same text.
 */
#include "token.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint32_t dec[SIM_TOKEN_DECISIONS_MAX];
	char *text = malloc(size + 1);
	char again[4 * SIM_TOKEN_DECISIONS_MAX + 64];
	size_t n;
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	if (sim_token_decode(text, 0x0123456789abcdefull, dec, SIM_TOKEN_DECISIONS_MAX, &n) == SIM_TOKEN_OK) {
		sim_token_encode(0x0123456789abcdefull, dec, n, again, sizeof(again));
		/* canonical re-encoding may differ only by leading zeros in _N_ escapes */
		if (strlen(again) > strlen(text) + 1)
			__builtin_trap();
	}
	free(text);
	return 0;
}
