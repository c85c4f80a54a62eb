/* test_jsonmem.c - the allocator behind cJSON: blocks that are aligned,
 * apart and used again, across chunks and threads, and a stop on a double
 * or foreign free. */
#include <cjson/cJSON.h>
#include <pthread.h>
#include <signal.h>
#include <stdalign.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/wait.h>
#include <unistd.h>
#include "../../src/jsonmem.h"
#include "unit.h"

#define MANY 20000      /* 64-byte blocks: about 100 chunks */

static int by_address(const void *a, const void *b)
{
	uintptr_t x = (uintptr_t)*(void *const *)a;
	uintptr_t y = (uintptr_t)*(void *const *)b;

	return (x > y) - (x < y);
}

static bool among(void **sorted, size_t n, void *p)
{
	return bsearch(&p, sorted, n, sizeof(*sorted), by_address) != NULL;
}

TEST(every_size_is_aligned_writable_and_apart)
{
	enum { N = 700 };
	static unsigned char *p[N];

	for (size_t i = 0; i < N; i++) {
		p[i] = jsonmem_alloc(i);
		EXPECT(p[i] != NULL);
		EXPECT_INT((uintptr_t)p[i] % alignof(max_align_t), 0);
		memset(p[i], (int)(i & 0xff), i);
	}
	for (size_t i = 0; i < N; i++) {
		for (size_t k = 0; k < i; k++)
			if (p[i][k] != (i & 0xff)) {
				EXPECT(p[i][k] == (i & 0xff));
				break;
			}
		jsonmem_free(p[i]);
	}
	jsonmem_free(NULL);
}

TEST(a_freed_block_serves_the_next_request_of_its_class)
{
	void *p = jsonmem_alloc(40), *q, *r;

	jsonmem_free(p);
	q = jsonmem_alloc(33);          /* the same 48-byte class */
	EXPECT(q == p);
	r = jsonmem_alloc(100);         /* another class */
	EXPECT(r != p);
	jsonmem_free(q);
	jsonmem_free(r);
	/* Above JSONMEM_SMALL: malloc()'d, and freed again. */
	p = jsonmem_alloc(JSONMEM_SMALL + 1);
	EXPECT(p != NULL);
	memset(p, 1, JSONMEM_SMALL + 1);
	jsonmem_free(p);
	EXPECT(jsonmem_alloc(SIZE_MAX) == NULL);
	EXPECT(jsonmem_alloc(SIZE_MAX - 8) == NULL);
}

TEST(blocks_across_many_chunks_are_all_used_again)
{
	static void *p[MANY], *q[MANY];
	size_t reused = 0;

	for (size_t i = 0; i < MANY; i++) {
		p[i] = jsonmem_alloc(64);
		memcpy(p[i], &i, sizeof(i));
	}
	for (size_t i = 0; i < MANY; i++) {
		size_t v;

		memcpy(&v, p[i], sizeof(v));
		if (v != i) {
			EXPECT_INT(v, i);
			break;
		}
		jsonmem_free(p[i]);
	}
	qsort(p, MANY, sizeof(*p), by_address);
	for (size_t i = 1; i < MANY; i++)
		if ((char *)p[i] - (char *)p[i - 1] < 64) {
			EXPECT((char *)p[i] - (char *)p[i - 1] >= 64);
			break;
		}
	for (size_t i = 0; i < MANY; i++)
		q[i] = jsonmem_alloc(60);
	for (size_t i = 0; i < MANY; i++) {
		reused += among(p, MANY, q[i]);
		jsonmem_free(q[i]);
	}
	EXPECT_INT(reused, MANY);
}

struct handoff {
	void *blocks[100];
	void *freed;            /* a block made elsewhere, freed here */
	void *again;            /* what this thread then got */
};

static void *make_and_free(void *arg)
{
	struct handoff *h = arg;

	for (size_t i = 0; i < 100; i++)
		h->blocks[i] = jsonmem_alloc(64);
	for (size_t i = 0; i < 100; i++)
		jsonmem_free(h->blocks[i]);
	return NULL;
}

static void *make_only(void *arg)
{
	struct handoff *h = arg;

	for (size_t i = 0; i < 100; i++)
		h->blocks[i] = jsonmem_alloc(64);
	return NULL;
}

static void *free_then_make(void *arg)
{
	struct handoff *h = arg;

	jsonmem_free(h->freed);
	h->again = jsonmem_alloc(24);
	return NULL;
}

TEST(an_ended_threads_blocks_serve_the_next_thread)
{
	struct handoff a = {0}, b = {0};
	pthread_t t;
	size_t reused = 0;

	EXPECT(pthread_create(&t, NULL, make_and_free, &a) == 0);
	pthread_join(t, NULL);
	EXPECT(pthread_create(&t, NULL, make_only, &b) == 0);
	pthread_join(t, NULL);
	qsort(a.blocks, 100, sizeof(*a.blocks), by_address);
	for (size_t i = 0; i < 100; i++)
		reused += among(a.blocks, 100, b.blocks[i]);
	EXPECT_INT(reused, 100);
	for (size_t i = 0; i < 100; i++)
		jsonmem_free(b.blocks[i]);
}

TEST(a_block_freed_by_another_thread_serves_that_thread)
{
	struct handoff h = {0};
	pthread_t t;

	h.freed = jsonmem_alloc(20);
	EXPECT(pthread_create(&t, NULL, free_then_make, &h) == 0);
	pthread_join(t, NULL);
	EXPECT(h.again == h.freed);
	jsonmem_free(h.again);
}

TEST(cjson_parses_prints_and_frees_through_it)
{
	static const char doc[] =
		"{\"state\":\"success\",\"context\":\"devopness/deploy\","
		"\"n\":[1,2.5,true,null,{\"a\":\"\\u00e9\"}]}";
	cJSON_Hooks hooks = {jsonmem_alloc, jsonmem_free};
	cJSON *root;
	char *text;

	cJSON_InitHooks(&hooks);
	root = cJSON_Parse(doc);
	EXPECT(root != NULL);
	text = cJSON_PrintUnformatted(root);
	EXPECT_STR(text, "{\"state\":\"success\",\"context\":"
		   "\"devopness/deploy\",\"n\":[1,2.5,true,null,"
		   "{\"a\":\"\xc3\xa9\"}]}");
	cJSON_free(text);
	cJSON_SetValuestring(cJSON_GetObjectItem(root, "state"),
			     "a much longer state than before");
	cJSON_Delete(root);
	cJSON_InitHooks(NULL);
}

TEST(once_installed_cjson_nodes_are_its_blocks)
{
	cJSON *o;
	void *p;

	if (!jsonmem_init())
		return;         /* a sanitizer or valgrind build: malloc() */
	o = cJSON_CreateObject();
	cJSON_Delete(o);
	p = jsonmem_alloc(sizeof(cJSON));
	EXPECT(p == (void *)o);
	jsonmem_free(p);
	cJSON_InitHooks(NULL);
}

/* Runs fn in a child and says whether it was stopped by SIGABRT. */
static bool aborts(void (*fn)(void))
{
	pid_t pid = fork();
	int st = 0;

	if (pid == 0) {
		freopen("/dev/null", "w", stderr);
		fn();
		_exit(0);
	}
	if (pid < 0 || waitpid(pid, &st, 0) != pid)
		return false;
	return WIFSIGNALED(st) && WTERMSIG(st) == SIGABRT;
}

static void free_twice(void)
{
	void *p = jsonmem_alloc(10);

	jsonmem_free(p);
	jsonmem_free(p);
}

static void free_foreign(void)
{
	static alignas(max_align_t) char buf[64];

	jsonmem_free(buf + 32);
}

static void free_properly(void)
{
	jsonmem_free(jsonmem_alloc(10));
}

TEST(a_double_or_foreign_free_stops_the_program)
{
	EXPECT(aborts(free_twice));
	EXPECT(aborts(free_foreign));
	EXPECT(!aborts(free_properly));
}

int main(void)
{
	RUN(every_size_is_aligned_writable_and_apart);
	RUN(a_freed_block_serves_the_next_request_of_its_class);
	RUN(blocks_across_many_chunks_are_all_used_again);
	RUN(an_ended_threads_blocks_serve_the_next_thread);
	RUN(a_block_freed_by_another_thread_serves_that_thread);
	RUN(cjson_parses_prints_and_frees_through_it);
	RUN(once_installed_cjson_nodes_are_its_blocks);
	RUN(a_double_or_foreign_free_stops_the_program);
	jsonmem_release();
	return unit_done();
}
