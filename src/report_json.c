/*
 * report_json.c - `--format json`: SPEC.md's one JSON document, streamed.
 *
 * The document is written piece by piece: the "tool" header and the
 * opening of "hooks" at begin, one hook object per line as each hook is
 * reported (written directly, every string redacted first, so 10,000
 * hooks take the memory of one), then "pipeline_checks" the same
 * way, then "summary". Nothing else is written to the stream.
 *
 * Fields beyond SPEC.md's fixed ones: hooks[].fires_on (the statuses the
 * hook fires on), hooks[].provider_title, checks[].family and
 * checks[].severity, summary.hooks. pipeline_checks[].pipeline_id is a
 * string (as the hooks give it) or null.
 */
#include "report.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include "redact.h"
#include "rules.h"
#include "util.h"

#ifndef HD_VERSION
#define HD_VERSION "0.0.0-dev"
#endif

/* r->first bits */
#define JS_ITEM 1               /* an element was written in this array */
#define JS_PIPELINE 2           /* "pipeline_checks" is open */

/* Writes s as a JSON string (or null). UTF-8 passes through; quotes,
 * backslashes and control characters are escaped. Each hook is written
 * into a buffer and handed to the stream in one piece: writing directly
 * instead of building cJSON trees, and a buffer instead of a stdio call
 * per piece, keeps 10,000 hooks fast. */
static void put_str(struct sbuf *b, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	/* 1: a byte that is written escaped; 2: the first byte of a
	 * character that may be one utf8_hidden_char() names, written as
	 * \uXXXX so the raw document cannot be reordered either */
	static const unsigned char esc_byte[256] = {
		1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
		1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
		['"'] = 1, ['\\'] = 1,
		[0xc2] = 2, [0xd8] = 2, [0xe2] = 2, [0xef] = 2,
	};
	const unsigned char *p, *run, *end;

	if (!s) {
		sbuf_addn(b, "null", 4);
		return;
	}
	sbuf_addc(b, '"');
	end = (const unsigned char *)s + strlen(s);
	for (p = run = (const unsigned char *)s;; p++) {
		unsigned char c;
		char esc[6] = {'\\', 'u', '0', '0', 0, 0};
		size_t n = 2;
		unsigned cp;
		size_t hn;

		p += plain_ascii_len((const char *)p, (size_t)(end - p));
		if (p == end)
			break;
		if (!esc_byte[c = *p])
			continue;
		if (esc_byte[c] == 2) {
			if (!(hn = utf8_hidden_char((const char *)p, &cp)))
				continue;
			sbuf_addn(b, (const char *)run, (size_t)(p - run));
			esc[2] = hex[cp >> 12];
			esc[3] = hex[(cp >> 8) & 15];
			esc[4] = hex[(cp >> 4) & 15];
			esc[5] = hex[cp & 15];
			sbuf_addn(b, esc, 6);
			p += hn - 1;
			run = p + 1;
			continue;
		}
		sbuf_addn(b, (const char *)run, (size_t)(p - run));
		switch (c) {
		case '"': esc[1] = '"'; break;
		case '\\': esc[1] = '\\'; break;
		case '\n': esc[1] = 'n'; break;
		case '\r': esc[1] = 'r'; break;
		case '\t': esc[1] = 't'; break;
		default:
			esc[4] = hex[c >> 4];
			esc[5] = hex[c & 15];
			n = 6;
			break;
		}
		sbuf_addn(b, esc, n);
		run = p + 1;
	}
	sbuf_addn(b, (const char *)run, (size_t)(p - run));
	sbuf_addc(b, '"');
}

static void put_lit(struct sbuf *b, const char *s)
{
	sbuf_add(b, s);
}

static void put_redacted_value(struct sbuf *b, const char *v)
{
	char *owned;

	put_str(b, redact_text_shared(v, &owned));
	free(owned);
}

/* ,"key": redact_text(v) (or null). */
static void put_redacted(struct sbuf *b, const char *key, const char *v)
{
	sbuf_addn(b, ",\"", 2);
	put_lit(b, key);
	sbuf_addn(b, "\":", 2);
	put_redacted_value(b, v);
}

/* v as compact JSON, its strings written as put_str() writes them; for
 * a value redaction leaves as it is. Numbers are cJSON's own text. */
static void put_plain_value(struct sbuf *b, const cJSON *v)
{
	const cJSON *c;
	char *num;

	if (cJSON_IsString(v)) {
		put_str(b, v->valuestring);
	} else if (cJSON_IsArray(v) || cJSON_IsObject(v)) {
		bool obj = cJSON_IsObject(v);

		sbuf_addc(b, obj ? '{' : '[');
		for (c = v->child; c; c = c->next) {
			if (c != v->child)
				sbuf_addc(b, ',');
			if (obj) {
				put_str(b, c->string ? c->string : "");
				sbuf_addc(b, ':');
			}
			put_plain_value(b, c);
		}
		sbuf_addc(b, obj ? '}' : ']');
	} else if (cJSON_IsTrue(v)) {
		sbuf_addn(b, "true", 4);
	} else if (cJSON_IsFalse(v)) {
		sbuf_addn(b, "false", 5);
	} else if (cJSON_IsNumber(v) && (num = cJSON_PrintUnformatted(v))) {
		sbuf_add(b, num);
		cJSON_free(num);
	} else {
		sbuf_addn(b, "null", 4);
	}
}

static void put_evidence(struct sbuf *b, const cJSON *ev)
{
	bool first = true;

	sbuf_addc(b, '{');
	for (const cJSON *e = ev ? ev->child : NULL; e; e = e->next) {
		const char *key = e->string ? e->string : "";

		if (!first)
			sbuf_addc(b, ',');
		first = false;
		put_str(b, key);
		sbuf_addc(b, ':');
		if (cJSON_IsString(e)) {
			char *owned;

			put_str(b, report_redacted_shared(key, e->valuestring,
							  &owned));
			free(owned);
		} else if (redact_json_member_unchanged(key, e)) {
			put_plain_value(b, e);
		} else {
			/* compact JSON, redacted as the other reporters do */
			char *text = report_evidence_value(e);

			report_add_json_visible(b, text);
			free(text);
		}
	}
	sbuf_addc(b, '}');
}

/* The fixed parts of each registered check's entry, escaped once:
 * head is {"id":...,"name":...,"status":" and tail is
 * ,"family":...,"severity":...}; skip is the whole entry of the skip
 * with check_msg_offline, no hint and no evidence (24 of the 56 checks
 * of every offline hook). */
struct def_json {
	struct sbuf head, tail, skip;
};

static struct def_json *def_json;
static pthread_once_t def_json_once = PTHREAD_ONCE_INIT;

/* j's head and tail for d (NULL: every field null). */
static void def_json_fill(struct def_json *j, const struct check_def *d)
{
	put_lit(&j->head, "{\"id\":");
	put_str(&j->head, d ? d->id : NULL);
	put_lit(&j->head, ",\"name\":");
	put_str(&j->head, d ? d->name : NULL);
	put_lit(&j->head, ",\"status\":\"");
	put_lit(&j->tail, ",\"family\":");
	put_str(&j->tail, d ? d->family : NULL);
	put_lit(&j->tail, ",\"severity\":");
	put_str(&j->tail, d ? check_status_name[d->severity] : NULL);
	sbuf_addc(&j->tail, '}');
}

static void def_json_make(void)
{
	def_json = xcalloc(check_registry_len, sizeof(*def_json));
	for (size_t i = 0; i < check_registry_len; i++) {
		struct def_json *j = &def_json[i];

		def_json_fill(j, &check_registry[i]);
		sbuf_addn(&j->skip, j->head.s, j->head.len);
		put_lit(&j->skip, check_status_name[CS_SKIP]);
		put_lit(&j->skip, "\",\"message\":");
		put_str(&j->skip, check_msg_offline);
		put_lit(&j->skip, ",\"hint\":null,\"evidence\":{}");
		sbuf_addn(&j->skip, j->tail.s, j->tail.len);
	}
}

/* The registered check's fixed parts, or NULL for any other def. */
static const struct def_json *def_json_of(const struct check_def *d)
{
	if (!d || d < check_registry || d >= check_registry + check_registry_len)
		return NULL;
	pthread_once(&def_json_once, def_json_make);
	return &def_json[d - check_registry];
}

/* Whether redaction leaves check_msg_offline as it is: it does unless a
 * known secret is in it, so the answer is kept per thread with the
 * generation of the known secrets it was made with. */
static bool offline_msg_plain(void)
{
	static _Thread_local unsigned long gen;
	static _Thread_local int known;         /* 0 not yet, 1 plain, 2 not */
	unsigned long g = redact_generation();  /* before the redaction */
	char *owned;
	const char *r;

	if (known && gen == g)
		return known == 1;
	r = redact_text_shared(check_msg_offline, &owned);
	known = strcmp(r, check_msg_offline) == 0 ? 1 : 2;
	free(owned);
	gen = g;
	return known == 1;
}

static void put_checks(struct sbuf *b, const struct finding *f, size_t n)
{
	put_lit(b, ",\"checks\":[");
	for (size_t i = 0; i < n; i++) {
		const struct def_json *j = def_json_of(f[i].def);
		struct def_json other = {0};

		if (i)
			sbuf_addc(b, ',');
		if (j && f[i].status == CS_SKIP &&
		    f[i].message == check_msg_offline && !f[i].hint &&
		    !f[i].evidence && offline_msg_plain()) {
			sbuf_addn(b, j->skip.s, j->skip.len);
			continue;
		}
		if (!j) {               /* not a registered check: made here */
			def_json_fill(&other, f[i].def);
			j = &other;
		}
		sbuf_addn(b, j->head.s, j->head.len);
		put_lit(b, check_status_name[f[i].status]);
		sbuf_addc(b, '"');
		put_redacted(b, "message", f[i].message ? f[i].message : "");
		put_redacted(b, "hint", f[i].hint);
		put_lit(b, ",\"evidence\":");
		put_evidence(b, f[i].evidence);
		sbuf_addn(b, j->tail.s, j->tail.len);
		sbuf_free(&other.head);
		sbuf_free(&other.tail);
	}
	sbuf_addc(b, ']');
}

/* Writes what b holds to the stream and frees it. (With a sink the
 * entries are built in the sink itself.) */
static void flush_buf(struct reporter *r, struct sbuf *b)
{
	if (b->len)
		fwrite(b->s, 1, b->len, r->out);
	sbuf_free(b);
}

/* Starts one array element on its own line. */
static void put_item_start(struct reporter *r, struct sbuf *b)
{
	put_lit(b, r->first & JS_ITEM ? ",\n" : "\n");
	r->first |= JS_ITEM;
}

static void json_begin(struct reporter *r)
{
	cJSON *tool = cJSON_CreateObject();
	char *text;

	cJSON_AddStringToObject(tool, "name", "hookdoctor");
	cJSON_AddStringToObject(tool, "version", HD_VERSION);
	text = cJSON_PrintUnformatted(tool);
	fprintf(r->out, "{\"tool\":%s,\"hooks\":[", text ? text : "null");
	cJSON_free(text);
	cJSON_Delete(tool);
	r->first = 0;
}

/* ["completed","failed"] for the statuses in mask. */
static void put_statuses(struct sbuf *b, unsigned mask)
{
	bool first = true;

	sbuf_addc(b, '[');
	for (int s = 0; s < ST_COUNT; s++) {
		if (!(mask & ST_BIT(s)))
			continue;
		if (!first)
			sbuf_addc(b, ',');
		first = false;
		put_str(b, hd_status_name[s]);
	}
	sbuf_addc(b, ']');
}

static void json_hook(struct reporter *r, const struct analysis *a,
		      const struct finding *f, size_t n)
{
	const struct hook *h = a->hook;
	struct sbuf own = {0}, *b = r->sink ? r->sink : &own;

	/* A hook's entry is about 12 KiB offline: room for it at once (a
	 * sink kept from an earlier hook has it already). */
	sbuf_reserve(b, 16384 - 1);
	put_item_start(r, b);
	put_lit(b, "{\"name\":");
	put_redacted_value(b, h ? h->name : NULL);
	put_redacted(b, "source", h ? h->source : NULL);
	put_lit(b, ",\"provider\":");
	put_str(b, a->provider ? a->provider->name : NULL);
	put_lit(b, ",\"provider_title\":");
	put_str(b, a->provider ? a->provider->title : NULL);
	put_lit(b, ",\"fires_on\":");
	put_statuses(b, a->firing.mask);
	/* The statuses it fires on for the action its conditions were
	 * evaluated against (HD113). */
	if (a->cond_judged) {
		put_lit(b, ",\"fires_for_action\":");
		put_statuses(b, a->fires_for_action);
	}
	put_checks(b, f, n);
	sbuf_addc(b, '}');
	if (b == &own)
		flush_buf(r, &own);
}

static void json_pipeline_begin(struct reporter *r)
{
	if (r->first & JS_PIPELINE)
		return;
	fputs(r->first & JS_ITEM ? "\n]," : "],", r->out);
	fputs("\"pipeline_checks\":[", r->out);
	r->first = JS_PIPELINE;
}

static void json_pipeline(struct reporter *r, const struct group *g,
			  const struct finding *f, size_t n)
{
	struct sbuf own = {0}, *b = r->sink ? r->sink : &own;

	json_pipeline_begin(r);
	put_item_start(r, b);
	put_lit(b, "{\"repository\":");
	put_redacted_value(b, g->repo);
	put_lit(b, ",\"provider\":");
	put_str(b, g->provider ? g->provider->name : NULL);
	put_redacted(b, "pipeline_id", g->pipeline_id);
	put_lit(b, ",\"hooks\":[");
	for (size_t i = 0; i < g->nmembers; i++) {
		if (i)
			sbuf_addc(b, ',');
		put_redacted_value(b, g->members[i].hook_name);
	}
	sbuf_addc(b, ']');
	put_checks(b, f, n);
	sbuf_addc(b, '}');
	if (b == &own)
		flush_buf(r, &own);
}

static void json_end(struct reporter *r, const struct summary *s)
{
	json_pipeline_begin(r);
	fprintf(r->out,
		"%s],\"summary\":{\"pass\":%lu,\"warn\":%lu,\"fail\":%lu,"
		"\"skip\":%lu,\"hooks\":%lu}}\n",
		r->first & JS_ITEM ? "\n" : "", s->pass, s->warn, s->fail,
		s->skip, s->hooks);
	fflush(r->out);
}

void report_json_init(struct reporter *r, FILE *out, const struct options *o)
{
	memset(r, 0, sizeof(*r));
	r->out = out;
	r->opts = o;
	r->sep = ",";        /* put_item_start(): ",\n" after the first */
	r->can_sink = true;
	r->groups_own_list = true;  /* "pipeline_checks":[ */
	r->begin = json_begin;
	r->hook = json_hook;
	r->pipeline_begin = json_pipeline_begin;
	r->pipeline = json_pipeline;
	r->end = json_end;
}
