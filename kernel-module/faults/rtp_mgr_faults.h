/* SPDX-License-Identifier: GPL-2.0 */
/*
 * rtp_mgr_faults.h - deliberately broken variants of rtp_mgr, one per build.
 *
 * They exist only to prove that the debug kernels of vm-test catch the bugs
 * a kernel data plane is prone to (vm-test/debug-kernels/run --prove-net).
 * A normal build has none of them: only `make RTPM_FAULT=<name>` defines
 * RTPM_FAULTS (faults/Kbuild.include), under which rtp_mgr.c includes this
 * file and calls the hook.
 *
 * Each bug is the shape it takes in a ring driver, reduced to its core and
 * kept on objects of its own, so that it fires on the first ioctl whatever
 * the module's state. Header-only, so the module stays one object. On a
 * stock kernel all four pass silently.
 */
#ifndef RTP_MGR_FAULTS_H
#define RTP_MGR_FAULTS_H

#ifndef RTPM_FAULTS
#error "only for builds with make RTPM_FAULT=<name>"
#endif

#include <linux/atomic.h>
#include <linux/cpumask.h>
#include <linux/jiffies.h>
#include <linux/mutex.h>
#include <linux/printk.h>
#include <linux/slab.h>
#include <linux/smp.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>

#if defined(RTPM_FAULT_UAF)
/* A cached pointer to a stats snapshot that outlives the snapshot. */
struct rtpm_fault_snapshot {
	u64 pushed;
	u64 popped;
};

static struct rtpm_fault_snapshot *rtpm_fault_cached;
static u64 rtpm_fault_sink;

/* noinline: the free and the use sit in different functions, as they do in real code. */
static noinline void rtpm_fault_snapshot_put(struct rtpm_fault_snapshot *snap)
{
	kfree(snap);
}

static void rtpm_fault_commit(void)
{
	struct rtpm_fault_snapshot *snap = kzalloc(sizeof(*snap), GFP_KERNEL);

	if (!snap)
		return;
	rtpm_fault_cached = snap;
	rtpm_fault_snapshot_put(snap);
	/* The bug: the cache still points at the freed snapshot. */
	rtpm_fault_sink = READ_ONCE(rtpm_fault_cached->pushed);
}

#elif defined(RTPM_FAULT_SLEEP_IN_ATOMIC)
/* A configuration mutex taken while the ring's spinlock is held. */
static DEFINE_SPINLOCK(rtpm_fault_ring_lock);
static DEFINE_MUTEX(rtpm_fault_config_mutex);

static void rtpm_fault_commit(void)
{
	spin_lock(&rtpm_fault_ring_lock);
	/* The bug: mutex_lock() may sleep, and a spinlock is held. */
	mutex_lock(&rtpm_fault_config_mutex);
	mutex_unlock(&rtpm_fault_config_mutex);
	spin_unlock(&rtpm_fault_ring_lock);
}

#elif defined(RTPM_FAULT_ABBA)
/*
 * Two paths take the registry and a ring lock in opposite orders. One thread
 * runs both one after the other, so nothing deadlocks here; with a second
 * thread it could, and lockdep reports the inversion from the order alone.
 */
static DEFINE_MUTEX(rtpm_fault_registry_lock);
static DEFINE_MUTEX(rtpm_fault_ring_lock);

static void rtpm_fault_configure_path(void)
{
	mutex_lock(&rtpm_fault_registry_lock);
	mutex_lock(&rtpm_fault_ring_lock);
	mutex_unlock(&rtpm_fault_ring_lock);
	mutex_unlock(&rtpm_fault_registry_lock);
}

static void rtpm_fault_release_path(void)
{
	mutex_lock(&rtpm_fault_ring_lock);
	/* The bug: registry after ring, the reverse of the configure path. */
	mutex_lock(&rtpm_fault_registry_lock);
	mutex_unlock(&rtpm_fault_registry_lock);
	mutex_unlock(&rtpm_fault_ring_lock);
}

static void rtpm_fault_commit(void)
{
	rtpm_fault_configure_path();
	rtpm_fault_release_path();
}

#elif defined(RTPM_FAULT_RACE)
/*
 * An event counter bumped by the ioctl path and by a work item on another
 * CPU, with neither a lock nor atomics. KCSAN samples about one access in
 * thousands and watches it for ~80 us; on a loaded host the two vCPUs run
 * together only part of the time, so both sides keep at it for a second.
 */
#define RTPM_FAULT_RACE_MS	1000

static unsigned long rtpm_fault_events;

/* noinline: keeps one load and one store per event, as a stats helper has. */
static noinline void rtpm_fault_count_event(void)
{
	rtpm_fault_events++;	/* The bug: a plain read-modify-write from two CPUs. */
}

static void rtpm_fault_count_for_a_while(void)
{
	unsigned long end = jiffies + msecs_to_jiffies(RTPM_FAULT_RACE_MS);

	while (time_before(jiffies, end))
		rtpm_fault_count_event();
}

static void rtpm_fault_race_work_fn(struct work_struct *work)
{
	rtpm_fault_count_for_a_while();
}

static DECLARE_WORK(rtpm_fault_race_work, rtpm_fault_race_work_fn);

static void rtpm_fault_commit(void)
{
	unsigned int other = cpumask_any_but(cpu_online_mask, raw_smp_processor_id());

	if (other < nr_cpu_ids)
		queue_work_on(other, system_wq, &rtpm_fault_race_work);
	else
		queue_work(system_wq, &rtpm_fault_race_work);
	rtpm_fault_count_for_a_while();
	flush_work(&rtpm_fault_race_work);
}

#else
#error "RTPM_FAULTS needs one RTPM_FAULT_*: build with make RTPM_FAULT=<name>"
#endif

/*
 * rtpm_fault_hook() - commit the configured bug, once per module load.
 * noinline: reports then name this function, not the ioctl handler.
 *
 * rtp_mgr.c calls it at the top of its ioctl handler: process context, no
 * locks held, reached by the first ioctl of any test.
 */
static noinline void rtpm_fault_hook(void)
{
	static atomic_t fired = ATOMIC_INIT(0);

	if (atomic_xchg(&fired, 1))
		return;
	pr_warn("fault-injection build: committing the deliberate bug now\n");
	rtpm_fault_commit();
}

#endif /* RTP_MGR_FAULTS_H */
