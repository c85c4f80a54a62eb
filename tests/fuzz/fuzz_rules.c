/*
 * fuzz_rules.c - the rule-file loader (rules_load) on arbitrary rule
 * files.
 *
 * The input is written as the only file of a private temporary directory
 * (made once per run, removed at exit) and loaded as checks/ would be.
 * When it loads, every provider is exercised the way a check run would:
 * a URL built from each endpoint's own pattern text and a few fixed ones
 * are matched, states classified, fields and providers looked up.
 */
#include "fuzz.h"

#include <unistd.h>

static char dir[64];
static char path[96];

static void cleanup(void)
{
	unlink(path);
	rmdir(dir);
}

static void exercise(const struct rules *r)
{
	static const char *urls[] = {
		"https://api.github.com/repos/o/r/statuses/0123456789abcdef0123456789abcdef01234567",
		"https://gitlab.com/api/v4/projects/1/statuses/0123456789abcdef0123456789abcdef01234567",
		"https://api.bitbucket.org/2.0/repositories/o/r/commit/0123456/statuses/build",
		"http://[::1]:8080/?a=b#c", "", "https://", "x://y/z?%zz",
	};

	for (size_t i = 0; i < r->n; i++) {
		const struct provider *p = &r->providers[i];
		struct url_match m;

		rules_find(r, p->name);
		rules_state_class(p, "success");
		rules_field(p, "state");
		for (size_t k = 0; k < p->nendpoints; k++) {
			rules_match_url(r, p, p->endpoints[k].pattern, &m);
			url_match_free(&m);
		}
	}
	for (size_t i = 0; i < sizeof(urls) / sizeof(urls[0]); i++) {
		struct url_match m;

		rules_match_url(r, NULL, urls[i], &m);
		url_match_free(&m);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct hd_error err = {{0}};
	struct rules *r;
	FILE *f;

	if (!dir[0]) {
		snprintf(dir, sizeof(dir), "%s/hd-fuzz-rules.XXXXXX",
			 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
		if (!mkdtemp(dir))
			abort();
		snprintf(path, sizeof(path), "%s/fuzz.json", dir);
		atexit(cleanup);
	}
	f = fopen(path, "wb");
	if (!f)
		abort();
	if (size && fwrite(data, 1, size, f) != size)
		abort();
	if (fclose(f) != 0)
		abort();
	r = rules_load(dir, &err);
	if (r) {
		exercise(r);
		rules_free(r);
	} else if (!err.msg[0]) {
		abort();        /* a failure must say why */
	}
	return 0;
}
