/*
 * jsonmem.c - the allocator behind cJSON (see jsonmem.h).
 *
 * Blocks of up to JSONMEM_SMALL bytes fall in size classes 16 bytes apart.
 * Each thread keeps a free list per class and carves new blocks from a
 * 16 KiB chunk of its own, so the usual allocation and free touch no lock
 * and no memory shared with another thread. Every block starts with a
 * header naming its class, so that a free puts it back on the right list,
 * and whether it is live, so that a double free or a foreign pointer stops
 * the program instead of corrupting a list.
 *
 * A thread that ends (the workers of each batch of `check`) leaves its
 * lists and the rest of its chunk to the next thread that runs short, so
 * the memory of one batch serves the next. Chunks go back to the system
 * only in jsonmem_release().
 */
#include "jsonmem.h"

#include <cjson/cJSON.h>
#include <pthread.h>
#include <stdalign.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Sanitizers and memcheck should see each node as a block of its own. */
#if defined(__SANITIZE_ADDRESS__) || defined(HD_JSON_MALLOC)
#define ON_MALLOC 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(memory_sanitizer)
#define ON_MALLOC 1
#endif
#endif

#define ALIGN   alignof(max_align_t)
#define CLASSES (JSONMEM_SMALL / ALIGN)
#define BIG     CLASSES                 /* the class of a malloc()'d block */
/* Small enough to fit where glibc's heap has room: with 64 KiB chunks a
 * run whose pipeline checks list 10,000 hooks peaked 4.5 MiB higher. */
#define CHUNK   (16 * 1024)

enum { LIVE = 0x4a534f4e, FREED = 0x6a736f6e };   /* "JSON", "json" */

/* Before every block, taking ALIGN bytes so that the block stays aligned. */
struct head {
	uint32_t state;                 /* LIVE or FREED */
	uint32_t cls;                   /* size class, or BIG */
};
#define HEAD ALIGN

struct free_block {
	struct free_block *next;
};

/* Before the blocks of a chunk: the list of all chunks, for release. */
struct chunk {
	struct chunk *next;
};

_Static_assert(sizeof(struct head) <= HEAD, "a header fits its slot");
_Static_assert(sizeof(struct chunk) <= ALIGN, "a chunk header fits its slot");
_Static_assert(JSONMEM_SMALL % ALIGN == 0, "classes tile the small sizes");

/* One thread's lists and the part of its chunk not yet carved. */
struct cache {
	struct free_block *list[CLASSES];
	char *bump, *end;
	bool registered;                /* its lists go to the pool at exit */
};

static _Thread_local struct cache cache;

static struct {
	pthread_mutex_t lock;
	pthread_once_t once;
	pthread_key_t key;              /* its destructor hands a cache over */
	bool have_key;
	struct chunk *chunks;
	struct free_block *orphans[CLASSES];  /* left by threads that ended */
	char *spare, *spare_end;        /* the rest of such a thread's chunk */
	atomic_bool any;                /* something above to adopt */
} pool = {.lock = PTHREAD_MUTEX_INITIALIZER, .once = PTHREAD_ONCE_INIT};

static _Noreturn void corrupt(const char *what)
{
	fprintf(stderr, "hookdoctor: internal error: cJSON freed %s\n", what);
	abort();
}

static size_t stride(size_t cls)
{
	return HEAD + (cls + 1) * ALIGN;
}

/* Bytes left between bump and end; 0 for an empty pair (NULL - NULL is
 * not defined in C). */
static size_t room(const char *bump, const char *end)
{
	return bump ? (size_t)(end - bump) : 0;
}

/* At a thread's end: its lists and the rest of its chunk go to the pool. */
static void hand_over(void *arg)
{
	struct cache *c = arg;

	pthread_mutex_lock(&pool.lock);
	for (size_t k = 0; k < CLASSES; k++) {
		struct free_block *tail = c->list[k];

		if (!tail)
			continue;
		while (tail->next)
			tail = tail->next;
		tail->next = pool.orphans[k];
		pool.orphans[k] = c->list[k];
		atomic_store_explicit(&pool.any, true, memory_order_relaxed);
	}
	if (room(c->bump, c->end) > room(pool.spare, pool.spare_end)) {
		pool.spare = c->bump;
		pool.spare_end = c->end;
		atomic_store_explicit(&pool.any, true, memory_order_relaxed);
	}
	pthread_mutex_unlock(&pool.lock);
	memset(c, 0, sizeof(*c));
}

static void make_key(void)
{
	/* Without the key an ending thread's blocks stay unused: a cost in
	 * memory, not in correctness. */
	pool.have_key = pthread_key_create(&pool.key, hand_over) == 0;
}

static void register_thread(void)
{
	pthread_once(&pool.once, make_key);
	cache.registered = true;
	if (pool.have_key)
		pthread_setspecific(pool.key, &cache);
}

/* Takes what ended threads left: the list of class cls, and their rest of
 * a chunk when this thread has too little left. */
static void adopt(size_t cls)
{
	bool left = false;

	pthread_mutex_lock(&pool.lock);
	if (pool.orphans[cls] && !cache.list[cls]) {
		cache.list[cls] = pool.orphans[cls];
		pool.orphans[cls] = NULL;
	}
	if (pool.spare && room(cache.bump, cache.end) < stride(cls) &&
	    room(pool.spare, pool.spare_end) > room(cache.bump, cache.end)) {
		cache.bump = pool.spare;
		cache.end = pool.spare_end;
		pool.spare = pool.spare_end = NULL;
	}
	for (size_t k = 0; k < CLASSES && !left; k++)
		left = pool.orphans[k] != NULL;
	atomic_store_explicit(&pool.any, left || pool.spare,
			      memory_order_relaxed);
	pthread_mutex_unlock(&pool.lock);
}

static bool new_chunk(void)
{
	struct chunk *k = malloc(CHUNK);

	if (!k)
		return false;
	pthread_mutex_lock(&pool.lock);
	k->next = pool.chunks;
	pool.chunks = k;
	pthread_mutex_unlock(&pool.lock);
	cache.bump = (char *)k + ALIGN;
	cache.end = (char *)k + CHUNK;
	return true;
}

static void *live(struct head *h)
{
	h->state = LIVE;
	return (char *)h + HEAD;
}

/* The slow path of a small allocation: this thread's list is empty. */
static void *refill(size_t cls)
{
	struct head *h;

	if (!cache.registered)
		register_thread();
	if (atomic_load_explicit(&pool.any, memory_order_relaxed))
		adopt(cls);
	if (cache.list[cls]) {
		struct free_block *b = cache.list[cls];

		cache.list[cls] = b->next;
		return live((struct head *)((char *)b - HEAD));
	}
	if (room(cache.bump, cache.end) < stride(cls) && !new_chunk())
		return NULL;
	h = (struct head *)cache.bump;
	cache.bump += stride(cls);
	h->cls = (uint32_t)cls;
	return live(h);
}

void *jsonmem_alloc(size_t size)
{
	size_t cls = size ? (size - 1) / ALIGN : 0;
	struct free_block *b;
	struct head *h;

	if (cls >= CLASSES) {
		if (size > SIZE_MAX - HEAD || !(h = malloc(HEAD + size)))
			return NULL;
		h->cls = BIG;
		return live(h);
	}
	b = cache.list[cls];
	if (!b)
		return refill(cls);
	cache.list[cls] = b->next;
	return live((struct head *)((char *)b - HEAD));
}

void jsonmem_free(void *p)
{
	struct head *h;
	struct free_block *b = p;

	if (!p)
		return;
	h = (struct head *)((char *)p - HEAD);
	if (h->state != LIVE)
		corrupt(h->state == FREED ? "a block twice"
					  : "a block it did not allocate");
	h->state = FREED;
	if (h->cls >= CLASSES) {
		free(h);
		return;
	}
	if (!cache.registered)
		register_thread();
	b->next = cache.list[h->cls];
	cache.list[h->cls] = b;
}

bool jsonmem_init(void)
{
#ifdef ON_MALLOC
	return false;
#else
	cJSON_Hooks hooks = {jsonmem_alloc, jsonmem_free};

	cJSON_InitHooks(&hooks);
	return true;
#endif
}

void jsonmem_release(void)
{
	cJSON_InitHooks(NULL);
	pthread_mutex_lock(&pool.lock);
	while (pool.chunks) {
		struct chunk *next = pool.chunks->next;

		free(pool.chunks);
		pool.chunks = next;
	}
	memset(pool.orphans, 0, sizeof(pool.orphans));
	pool.spare = pool.spare_end = NULL;
	atomic_store_explicit(&pool.any, false, memory_order_relaxed);
	pthread_mutex_unlock(&pool.lock);
	memset(cache.list, 0, sizeof(cache.list));
	cache.bump = cache.end = NULL;
}
