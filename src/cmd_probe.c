/*
 * cmd_probe.c - `hookdoctor probe URL`: the network checks HD501-HD511
 * for one URL, without a hook. It runs the same probe and the same checks
 * as `check` does for a hook's target, and prints them through the same
 * reporters, as if the URL were the target of a hook named after it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "analyse.h"
#include "check.h"
#include "cmd.h"
#include "net.h"
#include "redact.h"
#include "report.h"

int cmd_probe(const struct options *o)
{
	/* The operand after `probe` lands where a check's SOURCE would. */
	const char *url = o->file;
	struct finding *f = xcalloc(check_registry_len, sizeof(*f));
	struct net_options no = {0};
	struct net_target t;
	struct net_result res;
	struct hd_error err = {{0}};
	struct summary sum = {0};
	struct reporter rep;
	struct analysis a;
	struct hook h;
	struct rules *rules;
	const struct provider *force = NULL;
	size_t n = 0;
	int rc;

	if (!url || !*url) {
		fputs("hookdoctor: probe needs a URL, e.g. hookdoctor probe "
		      "https://api.github.com/ (see hookdoctor --help)\n", stderr);
		free(f);
		return 2;
	}
	if (o->offline) {
		fputs("hookdoctor: probe is all network: it cannot run with "
		      "--offline\n", stderr);
		free(f);
		return 2;
	}
	if (o->cacert && net_check_cacert(o->cacert, &err) < 0) {
		fprintf(stderr, "hookdoctor: %s\n", err.msg);
		free(f);
		return 2;
	}
	if (!(rules = cmd_load_rules())) {
		free(f);
		return 3;
	}
	if (cmd_validate_provider(o, rules)) {
		rules_free(rules);
		free(f);
		return 2;
	}
	if (o->provider)
		force = rules_find(rules, o->provider);

	memset(&a, 0, sizeof(a));
	memset(&h, 0, sizeof(h));
	h.name = (char *)url;
	h.source = "probe";
	h.target_url = (char *)url;
	h.active = -1;
	h.verify_ssl = -1;
	a.hook = &h;
	a.opts = o;
	a.rules = rules;
	rules_match_url(rules, force, url, &a.match);
	a.provider = force ? force : a.match.provider;
	a.provider_forced = force != NULL;

	t.url = url;
	t.probe = a.provider ? a.provider->probe : NULL;
	no.timeout = o->timeout;
	no.cacert = o->cacert;
	no.allow_private = o->allow_private;
	no.progress = isatty(STDERR_FILENO) && !o->quiet;
	net_probe_all(&t, 1, &no, &res);
	a.net = &res;
	if (res.url_error) {
		/* The URL is probe's whole input: one that cannot be probed
		 * (another scheme, no host) is a usage error, not a report
		 * of skipped checks that exits 0. Nothing was sent. */
		char *red = redact_url(url);

		fprintf(stderr, "hookdoctor: probe: '%s' cannot be probed: %s\n",
			red, res.url_error);
		free(red);
		rc = 2;
		goto out;
	}

	report_init(&rep, stdout, o);
	rep.begin(&rep);
	for (size_t i = 0; i < check_registry_len; i++) {
		const struct check_def *d = &check_registry[i];

		if (!d->hook_fn || strcmp(d->family, "network") != 0 ||
		    !options_check_enabled(o, d->id))
			continue;
		f[n].def = d;
		d->hook_fn(&a, &f[n]);
		if (!f[n].message)
			f[n].message = xstrdup("");
		switch (f[n].status) {
		case CS_PASS: sum.pass++; break;
		case CS_WARN: sum.warn++; break;
		case CS_FAIL: sum.fail++; break;
		case CS_SKIP: sum.skip++; break;
		}
		n++;
	}
	sum.hooks = 1;
	rep.hook(&rep, &a, f, n);
	rep.pipeline_begin(&rep);
	rep.end(&rep, &sum);
	rc = sum.fail || (o->strict && sum.warn) ? 1 : 0;
out:
	for (size_t i = 0; i < n; i++)
		finding_clear(&f[i]);
	free(f);
	net_result_free(&res);
	url_match_free(&a.match);
	rules_free(rules);
	return rc;
}
