/*
 * fuzz_scenario.c - libFuzzer harness for the scenario loader: any bytes must
 * either load or give a located error, never crash, hang or leak; a loaded
 * scenario must survive the model's initialisation.
 */
#include "fixes.h"
#include "model.h"
#include "scenario_load.h"

#include <stddef.h>
#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct scenario sc;
	static struct nf_model m;
	struct scenario_error err;
	char msg[1024];
	if (scenario_load_string("fuzz.yaml", (const char *)data, size, &sc, &err) != 0) {
		scenario_error_format(&err, msg, sizeof(msg));
		if (strncmp(msg, "fuzz.yaml:", 10) != 0)
			__builtin_trap(); /* every error names the file */
		return 0;
	}
	nf_model_init(&m, &sc, nf_preset_lookup("mainline")->fixes, 0, false);
	return 0;
}
