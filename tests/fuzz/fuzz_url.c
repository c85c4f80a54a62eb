/*
 * fuzz_url.c - the provider matcher (rules_match_url) over the real rule
 * files of checks/, on arbitrary URLs.
 *
 * Every URL is matched against all providers, then against each provider
 * forced (what --provider does). Properties checked: a match with an
 * endpoint names the provider it belongs to; a forced match never names
 * another provider.
 */
#include "fuzz.h"

static void one(const struct rules *r, const struct provider *force,
		const char *url)
{
	struct url_match m;

	rules_match_url(r, force, url, &m);
	if (m.endpoint && !m.provider)
		abort();
	if (force && m.provider && m.provider != force)
		abort();
	if (m.provider && m.provider->name)
		rules_state_class(m.provider, m.commit ? m.commit : url);
	url_match_free(&m);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct rules *r = fuzz_rules();
	char *url = fuzz_text(data, size);

	one(r, NULL, url);
	for (size_t i = 0; i < r->n; i++)
		one(r, &r->providers[i], url);
	free(url);
	return 0;
}
