/*
 * cmd_check.c - `hookdoctor check`: every applicable check on every hook
 * of the input, streamed to the reporter hook by hook, then the
 * pipeline-level checks over the hooks that post to one repository.
 */
#include <pthread.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "analyse.h"
#include "check.h"
#include "cmd.h"
#include "devopness.h"
#include "hook.h"
#include "net.h"
#include "provider_api.h"
#include "redact.h"
#include "report.h"

/* Why a check cannot run here, or NULL when it can. */
static const char *unmet_need(const struct check_def *d, const struct options *o)
{
	if ((d->needs & NEED_NETWORK) && o->offline)
		return check_msg_offline;
	return NULL;
}

static void count(struct summary *s, enum check_status st)
{
	switch (st) {
	case CS_PASS: s->pass++; break;
	case CS_WARN: s->warn++; break;
	case CS_FAIL: s->fail++; break;
	case CS_SKIP: s->skip++; break;
	}
}

static void run_one(const struct check_def *d, const struct analysis *a,
		    const struct group *g, const struct options *o,
		    struct finding *f)
{
	const char *why = unmet_need(d, o);

	memset(f, 0, sizeof(*f));
	f->def = d;
	if (why) {
		f->status = CS_SKIP;    /* finding_skip(f, "%s", why) */
		f->message = (char *)why;       /* fixed: never freed */
	}
	else if (d->scope == SCOPE_HOOK)
		d->hook_fn(a, f);
	else
		d->group_fn(g, f);
	if (!f->message)
		f->message = (char *)check_msg_empty;
}

static bool runnable(const struct check_def *d, const struct options *o,
		     enum check_scope scope)
{
	if (d->scope != scope || !options_check_enabled(o, d->id))
		return false;
	return scope == SCOPE_HOOK ? d->hook_fn != NULL : d->group_fn != NULL;
}

static int validate_ids(const char *list, const char *opt)
{
	char id[16];

	/* An empty --only would run no check and pass: a script's unset
	 * variable (--only "$CHECKS") must not read as a clean bill. An
	 * empty --skip skips nothing, as it says. */
	if (list && strcmp(opt, "--only") == 0 && !list[strspn(list, ", ")]) {
		fprintf(stderr, "hookdoctor: --only names no check (give IDs "
			"such as HD308,HD402; see hookdoctor checks)\n");
		return 2;
	}

	for (const char *p = list; p && *p;) {
		size_t n = strcspn(p, ", ");

		if (n && (n >= sizeof(id) || (memcpy(id, p, n), id[n] = '\0',
					      !check_find(id)))) {
			/* what was typed may be a token (tests/secrets) */
			char *typed = xstrndup(p, n), *red = redact_text(typed);

			fprintf(stderr, "hookdoctor: %s: unknown check '%s' "
				"(see hookdoctor checks)\n", opt, red);
			free(red);
			free(typed);
			return 2;
		}
		p += n;
		p += strspn(p, ", ");
	}
	return 0;
}

/* --- hooks, on several threads --- */

/* Where a job of a batch reports on a worker thread: a copy of the
 * reporter into out (a sink reporter's; the buffer stays with the job's
 * slot from batch to batch, so a report allocates nothing once the first
 * batch grew it) or into buf through a memory stream (the others). */
struct job_out {
	struct reporter rep;
	struct sbuf out;
	char *buf;
	size_t len;
};

/* One hook of the input: loaded, analysed, checked and reported into its
 * own buffer by a worker, then written and grouped by the main thread in
 * input order. */
struct job {
	long index;
	struct jsonpos_mark mark;   /* line/column where the hook starts */
	struct hook h;
	struct analysis a;
	bool loaded, analysed;
	struct group_entry group;   /* what the groups keep of it */
	struct summary sum;         /* this hook's findings, counted */
	struct job_out o;
	struct hd_error err;
};

struct batch {
	const struct options *o;
	const struct rules *rules;
	const struct hook_input *in;
	const struct reporter *proto;   /* NULL: report through direct */
	struct reporter *direct;
	struct job *jobs;
	size_t njobs, next;
	pthread_mutex_t lock;
	const struct api_facts *api;    /* Devopness API facts, or NULL */
	const struct net_result *net;   /* per hook index, or NULL offline */
	struct provider_session *prov;  /* provider API (HD6xx), or NULL */
	bool *runs;     /* per check_registry entry: run on every hook */
};

/* With no hook from the API (a stand-in for a pipeline that could not be
 * read or has no outgoing hook), only HD101 and the checks that read the
 * API's facts apply. */
static bool applies(const struct check_def *d, const struct api_facts *api)
{
	return !api || !api->placeholder || (d->needs & NEED_API) ||
	       strcmp(d->id, "HD101") == 0;
}

/* Hooks per batch: enough to keep the threads busy, few enough that the
 * analyses kept for grouping stay small. */
#define BATCH 256
/* ... and at most about this much input text: an analysis holds several
 * rendered copies of its hook, so 100 hooks of 1 MiB in one batch took
 * 600 MB (tests/hostile). Two batches are alive at once (report_hooks). */
#define BATCH_BYTES (2 * 1024 * 1024)
#define MAX_THREADS 8
/* stdout's buffer when it is a file or a pipe and there are many hooks. */
#define OUT_BUFFER (64 * 1024)

/* Points a copy of proto at jo's buffer; false when the memory stream
 * cannot be opened. */
static bool job_out_open(struct job_out *jo, const struct reporter *proto)
{
	jo->rep = *proto;
	if (proto->can_sink) {
		jo->rep.sink = &jo->out;
		return true;
	}
	return (jo->rep.out = open_memstream(&jo->buf, &jo->len)) != NULL;
}

static void job_out_close(struct job_out *jo)
{
	if (jo->rep.sink)
		jo->rep.sink = NULL;
	else if (jo->rep.out)
		fclose(jo->rep.out);
	jo->rep.out = NULL;
}

/* Empties jo for the next batch: a sink's buffer is kept unless an
 * unusual hook made it large. */
static void job_out_empty(struct job_out *jo)
{
	if (jo->out.cap > 64 * 1024)
		sbuf_free(&jo->out);
	jo->out.len = 0;
	free(jo->buf);
	jo->buf = NULL;
	jo->len = 0;
}

/* Writes what a job reported (sep before it when an output came before),
 * takes over its reporter's state, and empties jo. */
static void job_out_write(struct reporter *rep, struct job_out *jo,
			  bool *printed)
{
	const char *buf = rep->can_sink ? jo->out.s : jo->buf;
	size_t len = rep->can_sink ? jo->out.len : jo->len;

	if (len) {
		if (*printed)
			fputs(rep->sep, rep->out);
		fwrite(buf, 1, len, rep->out);
		*printed = true;
		rep->first = jo->rep.first;
	}
	if (!rep->first_fail)
		rep->first_fail = jo->rep.first_fail;
	if (!rep->first_warn)
		rep->first_warn = jo->rep.first_warn;
	job_out_empty(jo);
}

static void check_job(struct batch *b, struct job *j, struct finding *f)
{
	const struct options *o = b->o;
	struct reporter *rep = b->direct;
	size_t n = 0;

	if (hook_input_load(b->in, j->index, &j->mark, &j->h, &j->err) < 0)
		return;
	j->loaded = true;
	if (analyse_hook_action(&j->a, &j->h, o, b->rules,
				b->api ? b->api->action_json : NULL, &j->err) < 0)
		return;
	j->a.api = b->api;
	j->a.net = b->net ? &b->net[j->index] : NULL;
	if (b->prov)
		j->a.prov = provider_facts_for(b->prov, &j->a);
	j->analysed = true;
	for (size_t i = 0; i < check_registry_len; i++) {
		if (!b->runs[i])
			continue;
		run_one(&check_registry[i], &j->a, NULL, o, &f[n]);
		count(&j->sum, f[n].status);
		n++;
	}
	j->sum.hooks = 1;
	if (b->proto && job_out_open(&j->o, b->proto)) {
		rep = &j->o.rep;
	} else if (b->proto) {
		hd_error_set(&j->err, "out of memory");
		j->analysed = false;
		rep = NULL;
	}
	if (rep)
		rep->hook(rep, &j->a, f, n);
	if (b->proto)
		job_out_close(&j->o);
	for (size_t i = 0; i < n; i++)
		finding_clear(&f[i]);
	/* What the groups keep is copied here, and the hook freed by the
	 * thread that made it (the main thread only joins the groups). */
	if (j->analysed)
		group_entry_make(&j->group, &j->a);
	analysis_free(&j->a);
	hook_free(&j->h);
	j->loaded = false;
}

/* The index of the next job of a batch that a thread takes. */
static size_t take_job(pthread_mutex_t *lock, size_t *next)
{
	size_t k;

	pthread_mutex_lock(lock);
	k = (*next)++;
	pthread_mutex_unlock(lock);
	return k;
}

static void add_summary(struct summary *to, const struct summary *s)
{
	to->pass += s->pass;
	to->warn += s->warn;
	to->fail += s->fail;
	to->skip += s->skip;
	to->hooks += s->hooks;
}

static void *worker(void *arg)
{
	struct batch *b = arg;
	struct finding *f = xcalloc(check_registry_len, sizeof(*f));

	for (;;) {
		size_t k = take_job(&b->lock, &b->next);

		if (k >= b->njobs)
			break;
		check_job(b, &b->jobs[k], f);
	}
	free(f);
	return NULL;
}

static int thread_count(const struct reporter *rep)
{
	int n = cpu_count();

	if (!rep->sep || n < 2)
		return 1;
	return n > MAX_THREADS ? MAX_THREADS : n;
}

/* Fills b with the hooks from start on: as many as its slots hold, up to
 * about BATCH_BYTES of input; *mark moves to each one's first byte. */
static void fill_batch(struct batch *b, long start, size_t slots,
		       struct jsonpos_mark *mark)
{
	const struct hook_input *in = b->in;
	size_t bytes = 0;

	b->njobs = 0;
	while (b->njobs < slots && start + (long)b->njobs < in->count &&
	       bytes < BATCH_BYTES) {
		long i = start + (long)b->njobs;

		bytes += in->ends[i] - in->starts[i];
		b->njobs++;
	}
	b->next = 0;
	for (size_t k = 0; k < b->njobs; k++) {
		struct sbuf out = b->jobs[k].o.out;

		memset(&b->jobs[k], 0, sizeof(b->jobs[k]));
		b->jobs[k].o.out = out;
		b->jobs[k].index = start + (long)k;
		jsonpos_mark_advance(mark, in->text, in->starts[start + (long)k]);
		b->jobs[k].mark = *mark;
	}
}

/* The main thread's part of a checked batch, in input order: each hook's
 * report written, counted, what the groups need kept and the rest freed.
 * Returns rc, or -1 once a hook could not be checked. With emit false
 * (a batch checked after the run had to stop) nothing is written or
 * counted: the batch is only freed. */
static int finish_batch(struct batch *b, struct reporter *rep,
			struct groups *gs, struct summary *sum, bool *printed,
			int rc, bool emit)
{
	for (size_t k = 0; k < b->njobs; k++) {
		struct job *j = &b->jobs[k];

		if (emit && !j->analysed && rc == 0) {
			/* The input was validated when it was opened. */
			fprintf(stderr, "hookdoctor: %s\n", j->err.msg);
			rc = -1;
		}
		if (emit && b->proto)
			job_out_write(rep, &j->o, printed);
		else
			job_out_empty(&j->o);
		if (emit)
			add_summary(sum, &j->sum);
		if (emit && j->analysed && rc == 0)
			groups_add_entry(gs, &j->group);
		group_entry_free(&j->group);
		if (j->loaded)
			analysis_free(&j->a);
		if (j->loaded)
			hook_free(&j->h);
	}
	return rc;
}

/* Once a write failed (the reader of a pipe went away, a full disk)
 * nothing more can be delivered: stop, and main() says how. (The
 * report's reporter has no stream: it writes files of its own.) */
static bool cannot_write(const struct reporter *rep)
{
	return rep->out && ferror(rep->out);
}

/* Reports every hook of the input in input order, and keeps the facts the
 * pipeline-level checks need in gs. Returns 0, or -1 after printing an
 * internal error.
 *
 * Two batches take turns: while the main thread writes one, the other
 * threads check the next, and the main thread joins them when it is done
 * writing. Writing a batch one thread at a time, with the others idle,
 * was a tenth of a 10,000-hook check into a file and a fifth into a
 * pipe. */
static int report_hooks(const struct options *o, const struct rules *rules,
			struct hook_input *in, struct reporter *rep,
			struct groups *gs, struct summary *sum,
			const struct api_facts *api,
			const struct net_result *net,
			struct provider_session *prov, bool *printed_any)
{
	struct batch b[2] = {{o, rules, in, NULL, rep, NULL, 0, 0,
			      PTHREAD_MUTEX_INITIALIZER, api, net, prov, NULL},
			     {o, rules, in, NULL, rep, NULL, 0, 0,
			      PTHREAD_MUTEX_INITIALIZER, api, net, prov, NULL}};
	int nthreads = thread_count(rep);
	struct jsonpos_mark mark;
	const struct reporter proto = *rep;  /* as begin() left it */
	/* A slot is 4 KiB: one hook's run touches one, not BATCH of them. */
	size_t slots = in->count < BATCH ? (size_t)in->count : BATCH;
	bool *runs, printed = false;
	long start;
	int rc = 0, cur = 0;

	/* Decided once, not for each hook: --only's list is a string. */
	runs = xcalloc(check_registry_len, sizeof(*runs));
	for (size_t i = 0; i < check_registry_len; i++)
		runs[i] = runnable(&check_registry[i], o, SCOPE_HOOK) &&
			  applies(&check_registry[i], api);
	for (int k = 0; k < 2; k++) {
		b[k].proto = rep->sep ? &proto : NULL;
		b[k].runs = runs;
	}
	b[0].jobs = xcalloc(slots, sizeof(*b[0].jobs));
	jsonpos_mark_init(&mark, in->text, in->len);
	/* The main thread works too; the others help when there is more
	 * than a handful of hooks. */
	fill_batch(&b[0], 0, slots, &mark);
	run_threads(b[0].njobs > 8 ? nthreads : 1, worker, &b[0]);
	start = (long)b[0].njobs;
	for (;;) {
		struct batch *now = &b[cur], *next = &b[!cur];
		bool more = start < in->count && rc == 0 && !cannot_write(rep);
		struct thread_set helpers = {.n = 0};

		if (more) {
			/* The second slots at the second batch (which BATCH_BYTES
			 * can make of fewer than BATCH hooks). */
			if (!next->jobs)
				next->jobs = xcalloc(slots, sizeof(*next->jobs));
			fill_batch(next, start, slots, &mark);
			threads_start(&helpers, next->njobs > 8 ?
				      nthreads - 1 : 0, worker, next);
		}
		rc = finish_batch(now, rep, gs, sum, &printed, rc, true);
		if (!more)
			break;
		worker(next);
		threads_join(&helpers);
		start += (long)next->njobs;
		cur = !cur;
		if (rc != 0 || cannot_write(rep)) {
			finish_batch(next, rep, gs, sum, &printed, rc, false);
			break;
		}
	}
	for (int k = 0; k < 2; k++) {
		for (size_t i = 0; b[k].jobs && i < slots; i++)
			sbuf_free(&b[k].jobs[i].o.out);
		free(b[k].jobs);
		pthread_mutex_destroy(&b[k].lock);
	}
	free(runs);
	*printed_any = printed;
	return rc;
}

/* --- the pipeline-level checks, group by group --- */

/* Runs the pipeline-level checks on group g into f and reports them
 * through rep; their statuses are counted in sum. */
static void check_group(const struct options *o, struct reporter *rep,
			const struct group *g, struct summary *sum,
			struct finding *f)
{
	size_t n = 0;

	for (size_t i = 0; i < check_registry_len; i++) {
		const struct check_def *d = &check_registry[i];

		if (!runnable(d, o, SCOPE_PIPELINE))
			continue;
		run_one(d, NULL, g, o, &f[n]);
		count(sum, f[n].status);
		n++;
	}
	rep->pipeline(rep, g, f, n);
	for (size_t i = 0; i < n; i++)
		finding_clear(&f[i]);
}

/* Groups per batch when they are reported on several threads: their
 * outputs wait in memory until the batch is written. */
#define GROUP_BATCH 256

struct group_job {
	struct job_out o;
	bool failed;            /* the memory stream could not be opened */
	struct summary sum;
};

struct group_batch {
	const struct options *o;
	const struct reporter *proto;   /* a group's fresh reporter */
	const struct groups *gs;
	size_t from;                    /* index of jobs[0] in gs */
	struct group_job *jobs;
	size_t njobs, next;
	pthread_mutex_t lock;
};

static void *group_worker(void *arg)
{
	struct group_batch *b = arg;
	struct finding *f = xcalloc(check_registry_len, sizeof(*f));

	for (;;) {
		size_t k = take_job(&b->lock, &b->next);
		struct group_job *j;

		if (k >= b->njobs)
			break;
		j = &b->jobs[k];
		if (!job_out_open(&j->o, b->proto)) {
			j->failed = true;
			continue;
		}
		check_group(b->o, &j->o.rep, &b->gs->g[b->from + k], &j->sum,
			    f);
		job_out_close(&j->o);
	}
	free(f);
	return NULL;
}

/* The pipeline-level checks of every group, reported in order, after
 * pipeline_begin(). As report_hooks() does with hooks, a reporter with
 * sep has the groups checked and reported on several threads, each into
 * its own buffer through a copy of the reporter in a fresh state, and
 * writes sep between two outputs: counted from the first group when the
 * groups are a list of their own (groups_own_list: the copy is taken
 * after pipeline_begin()), else from the first output of all (the copy
 * has the state begin() left; hooks_printed says whether a hook wrote
 * anything). The others get one group after the other. Returns 0, or -1
 * after printing an internal error. */
static int report_groups(const struct options *o, struct reporter *rep,
			 const struct reporter *fresh, bool hooks_printed,
			 const struct groups *gs, struct summary *sum,
			 struct finding *f)
{
	struct group_batch b = {o, NULL, gs, 0, NULL, 0, 0,
				PTHREAD_MUTEX_INITIALIZER};
	int nthreads = thread_count(rep);
	struct reporter proto = *rep;
	size_t slots = gs->n < GROUP_BATCH ? gs->n : GROUP_BATCH;
	bool printed = rep->groups_own_list ? false : hooks_printed;
	int rc = 0;

	if (!rep->sep || nthreads < 2 || gs->n < 16) {
		for (size_t k = 0; k < gs->n; k++)
			check_group(o, rep, &gs->g[k], sum, f);
		return 0;
	}
	if (!rep->groups_own_list)
		proto.first = fresh->first;
	b.proto = &proto;
	b.jobs = xcalloc(slots, sizeof(*b.jobs));
	for (b.from = 0; b.from < gs->n; b.from += b.njobs) {
		b.njobs = gs->n - b.from < slots ? gs->n - b.from : slots;
		b.next = 0;
		for (size_t k = 0; k < b.njobs; k++) {
			struct sbuf out = b.jobs[k].o.out;

			memset(&b.jobs[k], 0, sizeof(b.jobs[k]));
			b.jobs[k].o.out = out;
		}
		run_threads(nthreads, group_worker, &b);
		for (size_t k = 0; k < b.njobs; k++) {
			struct group_job *j = &b.jobs[k];

			if (j->failed && rc == 0) {
				fprintf(stderr, "hookdoctor: out of memory\n");
				rc = -1;
			}
			job_out_write(rep, &j->o, &printed);
			add_summary(sum, &j->sum);
		}
	}
	for (size_t k = 0; k < slots; k++)
		sbuf_free(&b.jobs[k].o.out);
	free(b.jobs);
	pthread_mutex_destroy(&b.lock);
	return rc;
}

/* --- the network facts (net.c), collected before any hook is reported --- */

static bool network_checks_enabled(const struct options *o)
{
	for (size_t i = 0; i < check_registry_len; i++) {
		const struct check_def *d = &check_registry[i];

		if (strcmp(d->family, "network") == 0 &&
		    runnable(d, o, SCOPE_HOOK))
			return true;
	}
	return false;
}

/* Online, the targets of all hooks are probed up front, every host at
 * once and each host once, so the checks stay pure functions of these
 * facts. A pre-pass renders each hook's target URL as its first request
 * has it. Returns facts indexed like the input (free with free_net), or
 * NULL when nothing is to be probed. */
static struct net_result *probe_hooks(const struct options *o,
				      const struct rules *rules,
				      struct hook_input *in,
				      const struct api_facts *api)
{
	struct net_options no = {0};
	struct net_target *t;
	struct net_result *res;
	size_t n = (size_t)in->count;

	if (o->offline || !in->count || (api && api->placeholder) ||
	    !network_checks_enabled(o))
		return NULL;
	t = xcalloc(n, sizeof(*t));
	in->next = 0;
	for (size_t i = 0; i < n; i++) {
		struct hd_error err = {{0}};
		struct analysis a;
		struct hook h;

		if (hook_input_next(in, &h, &err) != 1)
			break;
		if (analyse_hook_action(&a, &h, o, rules,
					api ? api->action_json : NULL, &err) == 0) {
			const char *url = a.nreq ? a.req[0].url : h.target_url;

			t[i].url = url ? xstrdup(url) : NULL;
			t[i].probe = a.provider ? a.provider->probe : NULL;
		}
		analysis_free(&a);
		hook_free(&h);
	}
	in->next = 0;
	no.timeout = o->timeout;
	no.cacert = o->cacert;
	no.allow_private = o->allow_private;
	no.progress = isatty(STDERR_FILENO) && !o->quiet;
	res = xcalloc(n, sizeof(*res));
	net_probe_all(t, n, &no, res);
	for (size_t i = 0; i < n; i++)
		free((char *)t[i].url);
	free(t);
	return res;
}

/* --- the provider facts (provider_api.c), fetched before any hook is
 * reported --- */

struct prov_loader {
	const struct options *o;
	const struct rules *rules;
	const struct hook_input *in;
	const struct api_facts *api;
	struct jsonpos_mark *marks;     /* where each hook starts */
};

struct loaded {
	struct hook h;
	struct analysis a;
};

static struct analysis *prov_load(void *ctx, long index)
{
	struct prov_loader *l = ctx;
	struct loaded *x = xcalloc(1, sizeof(*x));
	struct hd_error err = {{0}};

	if (hook_input_load(l->in, index, &l->marks[index], &x->h, &err) < 0) {
		free(x);
		return NULL;
	}
	if (analyse_hook_action(&x->a, &x->h, l->o, l->rules,
				l->api ? l->api->action_json : NULL, &err) < 0) {
		hook_free(&x->h);
		free(x);
		return NULL;
	}
	return &x->a;
}

static void prov_unload(void *ctx, struct analysis *a)
{
	struct loaded *x = (struct loaded *)((char *)a - offsetof(struct loaded, a));

	(void)ctx;
	analysis_free(&x->a);
	hook_free(&x->h);
	free(x);
}

/* Every hook is analysed once to learn which repository and commit it
 * needs; then the facts of different repositories are fetched at once
 * (provider_prefetch). The report pass only looks them up. */
static void prefetch_provider(const struct options *o, const struct rules *rules,
			      struct hook_input *in, const struct api_facts *api,
			      struct provider_session *prov)
{
	struct prov_loader l = {o, rules, in, api, NULL};
	struct jsonpos_mark mark;

	if (!prov || !in->count)
		return;
	l.marks = xcalloc((size_t)in->count, sizeof(*l.marks));
	jsonpos_mark_init(&mark, in->text, in->len);
	for (long i = 0; i < in->count; i++) {
		struct analysis *a;

		jsonpos_mark_advance(&mark, in->text, in->starts[i]);
		l.marks[i] = mark;
		if ((a = prov_load(&l, i))) {
			provider_plan(prov, i, a);
			prov_unload(&l, a);
		}
	}
	provider_prefetch(prov, prov_load, prov_unload, &l);
	free(l.marks);
}

static void free_net(struct net_result *net, long count)
{
	for (long i = 0; net && i < count; i++)
		net_result_free(&net[i]);
	free(net);
}

int cmd_check(const struct options *o)
{
	return cmd_check_with(o, NULL);
}

int cmd_check_with(const struct options *o, const struct reporter *with)
{
	struct finding *f = xcalloc(check_registry_len, sizeof(*f));
	struct hook_input in;
	struct groups gs = {0};
	struct summary sum = {0};
	struct reporter rep, fresh;     /* fresh: as begin() left it */
	bool hooks_printed = false;
	struct rules *rules;
	struct api_facts *api = NULL;
	struct net_result *net = NULL;
	struct provider_session *prov = NULL;
	char *ptoken = NULL;
	struct hd_error nerr = {{0}};
	struct group_entry *ctx = NULL;     /* save: the stored hooks */
	size_t nctx = 0;
	int rc;

	if (validate_ids(o->only, "--only") || validate_ids(o->skip, "--skip") ||
	    cmd_validate_vars(o)) {
		free(f);
		return 2;
	}
	if (!o->offline && o->cacert && net_check_cacert(o->cacert, &nerr) < 0) {
		fprintf(stderr, "hookdoctor: %s\n", nerr.msg);
		free(f);
		return 2;
	}
	if (!(rules = cmd_load_rules())) {
		free(f);
		return 3;
	}
	if (provider_wanted(o) && provider_token_load(o, &ptoken, &nerr) < 0) {
		fprintf(stderr, "hookdoctor: %s\n", nerr.msg);
		rules_free(rules);
		free(f);
		return 2;
	}
	if (cmd_validate_provider(o, rules)) {
		free(ptoken);
		rules_free(rules);
		free(f);
		return 2;
	}
	if ((rc = cmd_open_input_api(o, &in, &api))) {
		free(ptoken);
		rules_free(rules);
		free(f);
		return rc;
	}
	/* save: the stored hooks, loaded before any output (their secrets
	 * are masked from the first line), join the body's groups after it. */
	nctx = cmd_api_load_context(o, rules, api, &ctx);
	if (with) {
		rep = *with;
	} else {
		/* Not a terminal, many hooks: stdout's 4 KiB buffer made a
		 * 10,000-hook report (115 MB of JSON) 21,000 write(2) calls,
		 * each on the main thread between batches. glibc takes a
		 * size only with a buffer, hence a static one; nothing has
		 * been written to stdout yet, as setvbuf() wants. */
		static char out_buffer[OUT_BUFFER];
		static bool buffered;

		if (!buffered && in.count > 8 && !isatty(STDOUT_FILENO)) {
			buffered = true;
			setvbuf(stdout, out_buffer, _IOFBF, sizeof(out_buffer));
		}
		report_init(&rep, stdout, o);
	}
	net = probe_hooks(o, rules, &in, api);
	if (provider_wanted(o) && !(api && api->placeholder))
		prov = provider_session_new(o, ptoken);
	prefetch_provider(o, rules, &in, api, prov);
	rep.begin(&rep);
	fresh = rep;
	if (report_hooks(o, rules, &in, &rep, &gs, &sum, api, net, prov,
			 &hooks_printed) < 0) {
		rc = 3;
		goto out;
	}
	for (size_t i = 0; i < nctx; i++)
		groups_add_entry(&gs, &ctx[i]);

	rep.pipeline_begin(&rep);
	if (report_groups(o, &rep, &fresh, hooks_printed, &gs, &sum, f) < 0) {
		rc = 3;
		goto out;
	}
	rep.end(&rep, &sum);
	rc = sum.fail || (o->strict && sum.warn) ? 1 : 0;
out:
	for (size_t i = 0; i < nctx; i++)
		group_entry_free(&ctx[i]);      /* empty once added */
	free(ctx);
	groups_free(&gs);
	free_net(net, in.count);
	provider_session_free(prov);
	free(ptoken);
	hook_input_close(&in);
	api_facts_free(api);
	rules_free(rules);
	free(f);
	return rc;
}
