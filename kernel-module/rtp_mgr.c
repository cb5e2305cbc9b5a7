// SPDX-License-Identifier: GPL-2.0
/*
 * /dev/rtp_mgr: kernel-managed rings of RTP packet slots, shared with user
 * space through mmap and driven through ioctl.
 *
 * The ring rules live in rtp_mgr_ring.h; this file adds what needs the
 * kernel: the misc device, sessions, locking, user copies, mmap, poll and
 * /proc/driver/rtp_mgr. docs/ABI.md is the contract.
 *
 * Objects and locks:
 *  - rtpm_rings[max_rings]: allocated at load, freed at unload; a ring
 *    pointer therefore stays valid for as long as a file is open.
 *  - rtpm_session: one per open file (file->private_data).
 *  - sess->mutex serialises attach, detach and mmap of one session.
 *  - ring->mutex guards the ring's memory and its producer, consumer and
 *    session count (control plane; may sleep); every control command on a
 *    ring (configure, start, stop, reset, unconfigure, attach) holds it.
 *  - ring->lock (spinlock) guards ring->core, ring->configured and the
 *    session's ring/roles fields, which change under both ring locks so
 *    the data path needs only the spinlock (it never sleeps under it).
 *  - rtpm_total_lock guards rtpm_used_bytes.
 *  - rtpm_owner_lock serialises the per-uid ring count: a ring's owner
 *    fields (owned, owner) change under it, ring->mutex and ring->lock, so
 *    any of the three is enough to read them; group and mode change with
 *    cfg, under ring->mutex and ring->lock.
 *  - Wake-ups: ring->wait holds one entry per attached session, whose
 *    function wakes that session's own queue, so ring->wait's lock is taken
 *    before a session's wait lock (and epoll's) and never the other way.
 *  Order: sess->mutex, ring->mutex, rtpm_owner_lock, rtpm_total_lock,
 *  ring->lock. No user copy happens under any of them: mmap runs with
 *  mmap_lock held and takes the mutexes, so a fault under a mutex could
 *  deadlock against it.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/fs.h>
#include <linux/kernel.h>
#include <linux/ktime.h>
#include <linux/miscdevice.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/poll.h>
#include <linux/proc_fs.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <linux/vmalloc.h>
#include <linux/wait.h>

#include "rtp_mgr_ring.h"
#ifdef RTPM_FAULTS
#include "faults/rtp_mgr_faults.h"	/* deliberately broken test builds only */
#endif

static unsigned int max_rings = 16;
module_param(max_rings, uint, 0444);
MODULE_PARM_DESC(max_rings, "Number of rings, ids 0..max_rings-1 (1..4096, default 16)");

static unsigned int max_rings_per_user = 8;
module_param(max_rings_per_user, uint, 0444);
MODULE_PARM_DESC(max_rings_per_user, "Rings one uid may own; CAP_NET_ADMIN is exempt (default 8, at most max_rings)");

static unsigned long max_ring_bytes = 64UL << 20;
module_param(max_ring_bytes, ulong, 0444);
MODULE_PARM_DESC(max_ring_bytes, "Largest mmap size of one ring in bytes (default 64 MiB)");

static unsigned long max_total_bytes = 256UL << 20;
module_param(max_total_bytes, ulong, 0444);
MODULE_PARM_DESC(max_total_bytes, "Largest mmap size of all rings together in bytes (default 256 MiB)");

/* Descriptors handled per lock hold in a batch: bounds stack use and hold time. */
#define RTPM_CHUNK	64

struct rtpm_session;

/**
 * struct rtpm_ring - one ring id.
 * @mutex: guards @mem, @cfg, @producer, @consumer; held to change @sessions.
 * @lock: guards @core and @configured; held to change @sessions.
 * @wait: what wakes the sessions' pollers: each attached session's @ring_wait
 *	entry, which passes every wake-up on to that session's own queue.
 * @id: index in rtpm_rings.
 * @configured: @core and @mem are valid.
 * @cfg: the configuration, as given.
 * @core: the ring's state.
 * @mem: its memory.
 * @producer: the producer session, or NULL.
 * @consumer: the consumer session, or NULL.
 * @sessions: sessions attached.
 * @mappings: live VMAs of the ring, over all sessions.
 * @owned: @owner is set: the ring is configured, or being configured.
 * @owner: who configured it first (fsuid).
 * @group: the group @mode's group bits are for.
 * @mode: RTPM_ACCESS_MODE_ALL bits.
 */
struct rtpm_ring {
	struct mutex mutex;	/* control plane */
	spinlock_t lock;	/* data plane */
	wait_queue_head_t wait;
	u32 id;
	bool configured;
	struct rtpm_config cfg;
	struct rtpm_core core;
	struct rtpm_core_mem mem;
	struct rtpm_session *producer;
	struct rtpm_session *consumer;
	u32 sessions;
	atomic_t mappings;
	bool owned;
	kuid_t owner;
	kgid_t group;
	u32 mode;
};

/**
 * struct rtpm_session - one open file description.
 * @mutex: serialises attach, detach and mmap.
 * @ring: attached ring or NULL; written under @ring's mutex and lock.
 * @roles: RTPM_ROLE_*; written like @ring.
 * @abi_minor: the minor the session attached with; written like @ring.
 * @mappings: live VMAs of this session; detach waits for none.
 * @wait: this file's pollers. epoll registers on it once, at EPOLL_CTL_ADD,
 *	whether or not the session is attached then, so it must outlive every
 *	attach: the session, not the ring, owns it.
 * @ring_wait: on @ring's wait queue while attached (added and removed under
 *	@mutex); wakes @wait.
 */
struct rtpm_session {
	struct mutex mutex;	/* attach, detach, mmap */
	struct rtpm_ring *ring;
	u32 roles;
	u32 abi_minor;
	atomic_t mappings;
	wait_queue_head_t wait;
	struct wait_queue_entry ring_wait;
};

static struct rtpm_ring *rtpm_rings;
static DEFINE_MUTEX(rtpm_owner_lock);
static DEFINE_MUTEX(rtpm_total_lock);
static u64 rtpm_used_bytes;	/* guarded by rtpm_total_lock */

/* Wake pollers only when some exist; wq_has_sleeper() holds the barrier. */
static void rtpm_wake(struct rtpm_ring *ring)
{
	if (wq_has_sleeper(&ring->wait))
		wake_up_interruptible(&ring->wait);
}

static void rtpm_sess_wake_pollers(struct rtpm_session *sess)
{
	if (wq_has_sleeper(&sess->wait))
		wake_up_interruptible(&sess->wait);
}

/* @sess->ring_wait's function: a wake-up of the ring reaches the session's pollers. */
static int rtpm_sess_ring_woken(struct wait_queue_entry *entry, unsigned int mode,
				int sync, void *key)
{
	rtpm_sess_wake_pollers(container_of(entry, struct rtpm_session, ring_wait));
	return 0;
}

static bool rtpm_reserved_zero(const void *p, size_t size)
{
	return !memchr_inv(p, 0, size);
}

/* ------------------------------------------------------------------ */
/* Who may do what to a ring                                           */

/* in_group_p() for any cred, e.g. a /proc reader's file->f_cred. */
static bool rtpm_cred_in_group(const struct cred *cred, kgid_t gid)
{
	const struct group_info *gi = cred->group_info;
	int i;

	if (gid_eq(cred->fsgid, gid))
		return true;
	for (i = 0; i < gi->ngroups; i++)
		if (gid_eq(gi->gid[i], gid))
			return true;
	return false;
}

/*
 * The MAY_READ/MAY_WRITE bits @ring's mode grants @cred, chosen as for a
 * file: the owner's bits, else the group's, else everybody else's.
 * Called with one of the locks that guard the owner fields.
 */
static u32 rtpm_access_granted(const struct rtpm_ring *ring,
			       const struct cred *cred)
{
	if (uid_eq(cred->fsuid, ring->owner))
		return (ring->mode >> 6) & (MAY_READ | MAY_WRITE);
	if (rtpm_cred_in_group(cred, ring->group))
		return (ring->mode >> 3) & (MAY_READ | MAY_WRITE);
	return ring->mode & (MAY_READ | MAY_WRITE);
}

/* What ATTACH with @roles needs: read to monitor, write to produce or consume. */
static u32 rtpm_roles_need(u32 roles)
{
	u32 need = 0;

	if (roles & RTPM_ROLE_MONITOR)
		need |= MAY_READ;
	if (roles & (RTPM_ROLE_PRODUCER | RTPM_ROLE_CONSUMER))
		need |= MAY_WRITE;
	return need;
}

/*
 * The owner or CAP_NET_ADMIN (in the initial namespace: rings are global)
 * may start, stop, reset, reconfigure and unconfigure. Called with
 * ring->mutex held; capable() is asked last, so that it is audited only
 * when it decides.
 */
static int rtpm_check_owner(const struct rtpm_ring *ring)
{
	if (uid_eq(current_fsuid(), ring->owner) || capable(CAP_NET_ADMIN))
		return 0;
	return -EPERM;
}

/*
 * Reserve @ring for the caller, who is configuring it: at most
 * max_rings_per_user rings per uid. Called with ring->mutex held.
 */
static int rtpm_owner_reserve(struct rtpm_ring *ring)
{
	kuid_t uid = current_fsuid();
	u32 i, owned = 0;
	int err = 0;

	mutex_lock(&rtpm_owner_lock);
	for (i = 0; i < max_rings; i++)
		if (rtpm_rings[i].owned && uid_eq(rtpm_rings[i].owner, uid))
			owned++;
	if (owned >= max_rings_per_user && !capable(CAP_NET_ADMIN)) {
		err = -EDQUOT;
	} else {
		spin_lock(&ring->lock);
		ring->owned = true;
		ring->owner = uid;
		spin_unlock(&ring->lock);
	}
	mutex_unlock(&rtpm_owner_lock);
	return err;
}

/* The ring has no memory (any more): it counts for nobody. */
static void rtpm_owner_drop(struct rtpm_ring *ring)
{
	mutex_lock(&rtpm_owner_lock);
	spin_lock(&ring->lock);
	ring->owned = false;
	ring->owner = GLOBAL_ROOT_UID;
	spin_unlock(&ring->lock);
	mutex_unlock(&rtpm_owner_lock);
}

/*
 * The group and mode @cfg asks for: with RTPM_CFG_ACCESS a group of the
 * caller's (CAP_NET_ADMIN: any) and read/write bits only; else the
 * default, owner only, and both words zero.
 */
static int rtpm_config_access(const struct rtpm_config *cfg, kgid_t *group,
			      u32 *mode)
{
	if (!(cfg->flags & RTPM_CFG_ACCESS)) {
		if (cfg->access_gid || cfg->access_mode)
			return -EINVAL;
		*group = current_fsgid();
		*mode = RTPM_ACCESS_DEFAULT;
		return 0;
	}
	*group = make_kgid(current_user_ns(), cfg->access_gid);
	if (!gid_valid(*group) || (cfg->access_mode & ~RTPM_ACCESS_MODE_ALL))
		return -EINVAL;
	if (!in_group_p(*group) && !capable(CAP_NET_ADMIN))
		return -EPERM;
	*mode = cfg->access_mode;
	return 0;
}

/* ------------------------------------------------------------------ */
/* Control plane                                                       */

static long rtpm_ioctl_info(void __user *uarg)
{
	struct rtpm_info info;

	memset(&info, 0, sizeof(info));
	info.abi_major = RTPM_ABI_MAJOR;
	info.abi_minor = RTPM_ABI_MINOR;
	info.max_rings = max_rings;
	info.order_min = RTPM_ORDER_MIN;
	info.order_max = RTPM_ORDER_MAX;
	info.payload_min = RTPM_PAYLOAD_MIN;
	info.payload_max = RTPM_PAYLOAD_MAX;
	info.slot_align = RTPM_SLOT_ALIGN;
	info.max_ring_bytes = max_ring_bytes;
	info.max_total_bytes = max_total_bytes;
	mutex_lock(&rtpm_total_lock);
	info.used_total_bytes = rtpm_used_bytes;
	mutex_unlock(&rtpm_total_lock);
	info.batch_max = RTPM_BATCH_MAX;
	info.header_size = sizeof(struct rtpm_ring_header);
	info.slot_meta_size = sizeof(struct rtpm_slot_meta);
	info.page_size = PAGE_SIZE;
	info.max_rings_per_user = max_rings_per_user;
	return copy_to_user(uarg, &info, sizeof(info)) ? -EFAULT : 0;
}

/* Read a struct rtpm_ring_ref and find its ring. */
static long rtpm_get_ring_ref(void __user *uarg, struct rtpm_ring **ring)
{
	struct rtpm_ring_ref ref;

	if (copy_from_user(&ref, uarg, sizeof(ref)))
		return -EFAULT;
	if (ref.ring_id >= max_rings || ref.reserved)
		return -EINVAL;
	*ring = &rtpm_rings[ref.ring_id];
	return 0;
}

/* Read the ring_id at the start of an _IOWR struct; the rest is output. */
static long rtpm_get_ring_id(void __user *uarg, struct rtpm_ring **ring)
{
	u32 id;

	if (get_user(id, (u32 __user *)uarg))
		return -EFAULT;
	if (id >= max_rings)
		return -EINVAL;
	*ring = &rtpm_rings[id];
	return 0;
}

static void rtpm_mem_free(struct rtpm_core_mem *mem)
{
	vfree(mem->region);
	kvfree(mem->slots);
	kvfree(mem->free_idx);
	kvfree(mem->ready_idx);
	memset(mem, 0, sizeof(*mem));
}

static int rtpm_mem_alloc(struct rtpm_core_mem *mem, const struct rtpm_geom *g)
{
	memset(mem, 0, sizeof(*mem));
	/* vmalloc_user: zeroed and VM_USERMAP, as remap_vmalloc_range() needs. */
	mem->region = vmalloc_user(g->mmap_size);
	mem->slots = kvcalloc(g->slot_count, sizeof(*mem->slots), GFP_KERNEL);
	mem->free_idx = kvcalloc(g->slot_count, sizeof(u32), GFP_KERNEL);
	mem->ready_idx = kvcalloc(g->slot_count, sizeof(u32), GFP_KERNEL);
	if (!mem->region || !mem->slots || !mem->free_idx || !mem->ready_idx) {
		rtpm_mem_free(mem);
		return -ENOMEM;
	}
	return 0;
}

/*
 * The byte count is charged before a ring's memory can exist and uncharged
 * only once it is gone, so it never falls below what is allocated. A charge
 * may fail (the cap); an uncharge never does, so every undo is exact even
 * when other rings filled the cap meanwhile.
 */
static int rtpm_charge(u64 bytes)
{
	int err = 0;

	mutex_lock(&rtpm_total_lock);
	if (bytes > max_total_bytes - rtpm_used_bytes)
		err = -ENOSPC;
	else
		rtpm_used_bytes += bytes;
	mutex_unlock(&rtpm_total_lock);
	return err;
}

static void rtpm_uncharge(u64 bytes)
{
	mutex_lock(&rtpm_total_lock);
	WARN_ON_ONCE(bytes > rtpm_used_bytes);
	rtpm_used_bytes -= min(bytes, rtpm_used_bytes);
	mutex_unlock(&rtpm_total_lock);
}

/* START and STOP change core.running under ring->mutex and the spinlock. */
static bool rtpm_ring_running(struct rtpm_ring *ring)
{
	bool running;

	spin_lock(&ring->lock);
	running = ring->configured && ring->core.running;
	spin_unlock(&ring->lock);
	return running;
}

static long rtpm_ioctl_configure(void __user *uarg)
{
	struct rtpm_core_mem mem, old = { 0 };
	struct rtpm_config cfg;
	struct rtpm_ring *ring;
	struct rtpm_geom geom;
	u64 old_bytes = 0, grow, shrink = 0;
	bool reserved = false;
	kgid_t group;
	u32 mode;
	long err;

	if (copy_from_user(&cfg, uarg, sizeof(cfg)))
		return -EFAULT;
	if (cfg.ring_id >= max_rings || cfg.drop_policy > RTPM_DROP_HEAD ||
	    (cfg.flags & ~RTPM_CFG_FLAGS_ALL) || cfg.reserved)
		return -EINVAL;
	err = rtpm_config_access(&cfg, &group, &mode);
	if (err)
		return err;
	err = rtpm_geom_compute(cfg.order, cfg.max_payload, PAGE_SIZE, &geom);
	if (err)
		return err;
	if (geom.mmap_size > max_ring_bytes)
		return -E2BIG;

	ring = &rtpm_rings[cfg.ring_id];
	mutex_lock(&ring->mutex);
	err = ring->configured ? rtpm_check_owner(ring) : rtpm_owner_reserve(ring);
	if (err)
		goto out;
	reserved = !ring->configured;
	if (ring->sessions || atomic_read(&ring->mappings) ||
	    rtpm_ring_running(ring)) {
		err = -EBUSY;
		goto out;
	}
	if (ring->configured)
		old_bytes = ring->core.geom.mmap_size;
	/* A growth is charged now, a shrink uncharged once the old memory goes. */
	grow = geom.mmap_size > old_bytes ? geom.mmap_size - old_bytes : 0;
	err = rtpm_charge(grow);
	if (err)
		goto out;
	err = rtpm_mem_alloc(&mem, &geom);
	if (err) {
		rtpm_uncharge(grow);
		goto out;
	}

	/* START and STOP hold ring->mutex too: the ring is still stopped. */
	spin_lock(&ring->lock);
	old = ring->mem;
	ring->mem = mem;
	ring->cfg = cfg;
	ring->group = group;
	ring->mode = mode;
	rtpm_core_init(&ring->core, &cfg, &geom, &mem);
	ring->configured = true;
	spin_unlock(&ring->lock);
	reserved = false;
	if (old_bytes > geom.mmap_size)
		shrink = old_bytes - geom.mmap_size;
out:
	if (reserved)
		rtpm_owner_drop(ring);
	mutex_unlock(&ring->mutex);
	rtpm_mem_free(&old);
	rtpm_uncharge(shrink);
	return err;
}

static long rtpm_ioctl_unconfigure(void __user *uarg)
{
	struct rtpm_core_mem old = { 0 };
	struct rtpm_ring *ring;
	u64 bytes = 0;
	long err;

	err = rtpm_get_ring_ref(uarg, &ring);
	if (err)
		return err;
	mutex_lock(&ring->mutex);
	if (!ring->configured) {
		err = -ENODATA;
	} else if ((err = rtpm_check_owner(ring))) {
		/* neither the owner nor CAP_NET_ADMIN */
	} else if (ring->sessions || atomic_read(&ring->mappings)) {
		err = -EBUSY;
	} else {
		spin_lock(&ring->lock);
		ring->configured = false;
		bytes = ring->core.geom.mmap_size;
		memset(&ring->core, 0, sizeof(ring->core));
		old = ring->mem;
		memset(&ring->mem, 0, sizeof(ring->mem));
		spin_unlock(&ring->lock);
		rtpm_owner_drop(ring);
	}
	mutex_unlock(&ring->mutex);
	rtpm_mem_free(&old);
	rtpm_uncharge(bytes);
	return err;
}

static long rtpm_ioctl_get_layout(void __user *uarg)
{
	struct rtpm_layout lay;
	struct rtpm_ring *ring;
	long err;

	err = rtpm_get_ring_id(uarg, &ring);
	if (err)
		return err;
	memset(&lay, 0, sizeof(lay));
	lay.ring_id = ring->id;
	spin_lock(&ring->lock);
	if (ring->configured) {
		const struct rtpm_geom *g = &ring->core.geom;

		lay.order = ring->cfg.order;
		lay.slot_count = g->slot_count;
		lay.slot_stride = g->slot_stride;
		lay.max_payload = ring->cfg.max_payload;
		lay.header_size = sizeof(struct rtpm_ring_header);
		lay.meta_size = g->meta_size;
		lay.drop_policy = ring->cfg.drop_policy;
		lay.flags = ring->cfg.flags;
		lay.mmap_size = g->mmap_size;
		lay.header_offset = 0;
		lay.slots_offset = g->slots_offset;
		lay.owner_uid = from_kuid_munged(current_user_ns(), ring->owner);
		lay.access_gid = from_kgid_munged(current_user_ns(), ring->group);
		lay.access_mode = ring->mode;
	} else {
		err = -ENODATA;
	}
	spin_unlock(&ring->lock);
	if (err)
		return err;
	return copy_to_user(uarg, &lay, sizeof(lay)) ? -EFAULT : 0;
}

/*
 * A ring-addressed command runs under ring->mutex, which makes the owner
 * check and the change one step (and keeps START out of a CONFIGURE).
 */
static long rtpm_ring_ref_begin(void __user *uarg, struct rtpm_ring **ringp)
{
	struct rtpm_ring *ring;
	long err;

	err = rtpm_get_ring_ref(uarg, &ring);
	if (err)
		return err;
	mutex_lock(&ring->mutex);
	err = ring->configured ? rtpm_check_owner(ring) : -ENODATA;
	if (err) {
		mutex_unlock(&ring->mutex);
		return err;
	}
	*ringp = ring;
	return 0;
}

static long rtpm_ioctl_start_stop(void __user *uarg, bool start)
{
	struct rtpm_ring *ring;
	long err;

	err = rtpm_ring_ref_begin(uarg, &ring);
	if (err)
		return err;
	spin_lock(&ring->lock);
	if (start)
		rtpm_core_start(&ring->core);
	else
		rtpm_core_stop(&ring->core);
	rtpm_core_publish(&ring->core);
	spin_unlock(&ring->lock);
	mutex_unlock(&ring->mutex);
	/* Producers may claim again; everybody sees the stopped event come or go. */
	rtpm_wake(ring);
	return 0;
}

/* One consistent snapshot of @ring, taken under its lock. */
static void rtpm_snapshot(struct rtpm_ring *ring, struct rtpm_stats *s)
{
	memset(s, 0, sizeof(*s));	/* reserved words and unconfigured rings */
	s->ring_id = ring->id;
	spin_lock(&ring->lock);
	if (ring->configured) {
		rtpm_core_stats(&ring->core, s);
		s->configured = 1;
	}
	s->sessions = ring->sessions;
	s->mappings = atomic_read(&ring->mappings);
	spin_unlock(&ring->lock);
}

static long rtpm_ioctl_get_stats(void __user *uarg)
{
	struct rtpm_stats s;
	struct rtpm_ring *ring;
	long err;

	err = rtpm_get_ring_id(uarg, &ring);
	if (err)
		return err;
	rtpm_snapshot(ring, &s);
	return copy_to_user(uarg, &s, sizeof(s)) ? -EFAULT : 0;
}

static long rtpm_ioctl_reset_stats(void __user *uarg)
{
	struct rtpm_ring *ring;
	long err;

	err = rtpm_ring_ref_begin(uarg, &ring);
	if (err == -ENODATA)
		return 0;	/* an unconfigured ring's counters are zero */
	if (err)
		return err;
	spin_lock(&ring->lock);
	rtpm_core_reset_stats(&ring->core);
	rtpm_core_publish(&ring->core);
	spin_unlock(&ring->lock);
	mutex_unlock(&ring->mutex);
	return 0;
}

/* Detach @sess from its ring, as if it ended. Called with sess->mutex held. */
static void rtpm_detach(struct rtpm_session *sess)
{
	struct rtpm_ring *ring = sess->ring;

	mutex_lock(&ring->mutex);
	spin_lock(&ring->lock);
	rtpm_core_session_end(&ring->core, sess->roles & RTPM_ROLE_PRODUCER,
			      sess->roles & RTPM_ROLE_CONSUMER);
	rtpm_core_publish(&ring->core);
	if (ring->producer == sess)
		ring->producer = NULL;
	if (ring->consumer == sess)
		ring->consumer = NULL;
	ring->sessions--;
	sess->roles = 0;
	sess->abi_minor = 0;
	WRITE_ONCE(sess->ring, NULL);
	spin_unlock(&ring->lock);
	mutex_unlock(&ring->mutex);
	remove_wait_queue(&ring->wait, &sess->ring_wait);
	rtpm_wake(ring);	/* freed slots: a producer may claim */
	rtpm_sess_wake_pollers(sess);	/* EPOLLERR now */
}

static long rtpm_ioctl_attach(struct rtpm_session *sess, void __user *uarg)
{
	struct rtpm_attach at;
	struct rtpm_ring *ring;
	long err = 0;

	if (copy_from_user(&at, uarg, sizeof(at)))
		return -EFAULT;
	if (at.ring_id >= max_rings || !at.roles ||
	    (at.roles & ~RTPM_ROLES_ALL) ||
	    !rtpm_reserved_zero(at.reserved, sizeof(at.reserved)))
		return -EINVAL;
	if (at.abi_major != RTPM_ABI_MAJOR || at.abi_minor > RTPM_ABI_MINOR)
		return -EPROTO;

	mutex_lock(&sess->mutex);
	if (sess->ring) {
		if (atomic_read(&sess->mappings)) {
			err = -EBUSY;
			goto out;
		}
		rtpm_detach(sess);
	}
	ring = &rtpm_rings[at.ring_id];
	mutex_lock(&ring->mutex);
	if (!ring->configured) {
		err = -ENODATA;
	} else if ((rtpm_access_granted(ring, current_cred()) &
		    rtpm_roles_need(at.roles)) != rtpm_roles_need(at.roles) &&
		   !capable(CAP_NET_ADMIN)) {
		err = -EACCES;
	} else if (((at.roles & RTPM_ROLE_PRODUCER) && ring->producer) ||
		   ((at.roles & RTPM_ROLE_CONSUMER) && ring->consumer)) {
		err = -EBUSY;
	} else {
		spin_lock(&ring->lock);
		if (at.roles & RTPM_ROLE_PRODUCER)
			ring->producer = sess;
		if (at.roles & RTPM_ROLE_CONSUMER)
			ring->consumer = sess;
		ring->sessions++;
		sess->roles = at.roles;
		sess->abi_minor = at.abi_minor;
		WRITE_ONCE(sess->ring, ring);
		spin_unlock(&ring->lock);
		add_wait_queue(&ring->wait, &sess->ring_wait);
	}
	mutex_unlock(&ring->mutex);
	if (!err)
		rtpm_sess_wake_pollers(sess);	/* no longer EPOLLERR */
out:
	mutex_unlock(&sess->mutex);
	return err;
}

static long rtpm_ioctl_detach(struct rtpm_session *sess)
{
	long err = 0;

	mutex_lock(&sess->mutex);
	if (!sess->ring)
		err = -ENOTCONN;
	else if (atomic_read(&sess->mappings))
		err = -EBUSY;
	else
		rtpm_detach(sess);
	mutex_unlock(&sess->mutex);
	return err;
}

/* ------------------------------------------------------------------ */
/* Data plane                                                          */

/**
 * rtpm_data_check() - may @sess make a data call needing @role on @ring?
 * @sess: the calling session.
 * @ring: the ring @sess looked attached to; its lock is held.
 * @role: the role the call needs, or 0 (release: the core checks roles).
 *
 * Detach may have run since the caller read sess->ring, hence the re-check
 * under the lock.
 * Return: 0, -ENOTCONN or -EPERM (counted as invalid).
 */
static int rtpm_data_check(struct rtpm_session *sess, struct rtpm_ring *ring,
			   u32 role)
{
	if (READ_ONCE(sess->ring) != ring)
		return -ENOTCONN;
	if (role && !(sess->roles & role)) {
		rtpm_core_count_invalid(&ring->core);
		return -EPERM;
	}
	return 0;
}

/* Count a request rejected outside the core (EINVAL, EFAULT) on @sess's ring. */
static void rtpm_count_invalid(struct rtpm_session *sess)
{
	struct rtpm_ring *ring = READ_ONCE(sess->ring);

	if (!ring)
		return;
	spin_lock(&ring->lock);
	if (!rtpm_data_check(sess, ring, 0))
		rtpm_core_count_invalid(&ring->core);
	spin_unlock(&ring->lock);
}

/*
 * Run up to @n entries of a batch at @d under the ring lock.
 * Return: entries done; *errp is the failing entry's errno, or 0.
 */
static u32 rtpm_batch_chunk(struct rtpm_session *sess, struct rtpm_ring *ring,
			    unsigned int cmd, struct rtpm_slot_desc *d, u32 n,
			    bool first, u64 now_ns, long *errp)
{
	struct rtpm_core *core = &ring->core;
	int err = 0;
	u32 i;

	for (i = 0; i < n && !err; i++) {
		switch (cmd) {
		case RTPM_IOC_CLAIM_BATCH:
			err = rtpm_core_claim(core, &d[i].index);
			d[i].len = core->max_payload;
			break;
		case RTPM_IOC_PUSH_BATCH:
			err = rtpm_core_push(core, d[i].index, d[i].len, now_ns);
			break;
		case RTPM_IOC_POP_BATCH:
			/* Once something was popped, an empty ring ends the batch. */
			if ((!first || i) && !rtpm_core_ready_count(core)) {
				*errp = 0;
				return i;
			}
			err = rtpm_core_pop(core, &d[i].index, &d[i].len);
			break;
		default:	/* RTPM_IOC_RELEASE_BATCH */
			err = rtpm_core_release(core, d[i].index,
						sess->roles & RTPM_ROLE_PRODUCER,
						sess->roles & RTPM_ROLE_CONSUMER);
			break;
		}
	}
	*errp = err;
	return err ? i - 1 : i;
}

/* The role a data command needs; release checks roles per slot in the core. */
static u32 rtpm_cmd_role(unsigned int cmd)
{
	switch (cmd) {
	case RTPM_IOC_CLAIM_BATCH:
	case RTPM_IOC_PUSH_BATCH:
		return RTPM_ROLE_PRODUCER;
	case RTPM_IOC_POP_BATCH:
		return RTPM_ROLE_CONSUMER;
	default:
		return 0;
	}
}

/**
 * rtpm_data_run() - run @n descriptors of a data command under one hold
 * of the ring lock, then wake pollers if slots became READY or FREE.
 * @sess: the calling session.
 * @ring: the ring @sess looked attached to.
 * @cmd: the batch form of the command.
 * @d: descriptors, kernel copy.
 * @n: how many.
 * @first: no entry of this call ran before (pop's empty rule, drops).
 * @dropped: drops the producer reports (claim only).
 * @errp: the failing entry's errno, -ENOTCONN or -EPERM; else 0.
 *
 * Return: entries done.
 */
static u32 rtpm_data_run(struct rtpm_session *sess, struct rtpm_ring *ring,
			 unsigned int cmd, struct rtpm_slot_desc *d, u32 n,
			 bool first, u32 dropped, long *errp)
{
	u64 now_ns = cmd == RTPM_IOC_PUSH_BATCH ? ktime_get_ns() : 0;
	u32 k = 0;

	spin_lock(&ring->lock);
	*errp = rtpm_data_check(sess, ring, rtpm_cmd_role(cmd));
	if (!*errp) {
		if (first && dropped)
			rtpm_core_count_drops(&ring->core, dropped);
		k = rtpm_batch_chunk(sess, ring, cmd, d, n, first, now_ns, errp);
		rtpm_core_publish(&ring->core);
	}
	spin_unlock(&ring->lock);
	if (k && (cmd == RTPM_IOC_PUSH_BATCH || cmd == RTPM_IOC_RELEASE_BATCH))
		rtpm_wake(ring);
	return k;
}

static bool rtpm_cmd_reads_descs(unsigned int cmd)
{
	return cmd == RTPM_IOC_PUSH_BATCH || cmd == RTPM_IOC_RELEASE_BATCH;
}

/**
 * rtpm_ioctl_one() - CLAIM, PUSH, POP, RELEASE: a batch of one descriptor
 * passed directly (no struct rtpm_batch).
 * @sess: the calling session.
 * @cmd: the batch form of the command.
 * @ud: user's struct rtpm_slot_desc.
 *
 * Return: 0 or the entry's errno. A claimed or popped slot whose
 * descriptor cannot be copied out stays held until the session ends.
 */
static long rtpm_ioctl_one(struct rtpm_session *sess, unsigned int cmd,
			   struct rtpm_slot_desc __user *ud)
{
	struct rtpm_ring *ring = READ_ONCE(sess->ring);
	struct rtpm_slot_desc d = { 0 };
	long err;

	if (rtpm_cmd_reads_descs(cmd) && copy_from_user(&d, ud, sizeof(d))) {
		rtpm_count_invalid(sess);
		return -EFAULT;
	}
	if (!ring)
		return -ENOTCONN;
	rtpm_data_run(sess, ring, cmd, &d, 1, true, 0, &err);
	if (!err && !rtpm_cmd_reads_descs(cmd) &&
	    copy_to_user(ud, &d, sizeof(d))) {
		rtpm_count_invalid(sess);
		return -EFAULT;
	}
	return err;
}

/**
 * rtpm_ioctl_batch() - CLAIM_BATCH, PUSH_BATCH, POP_BATCH, RELEASE_BATCH.
 * @sess: the calling session.
 * @cmd: the ioctl.
 * @ub: user's struct rtpm_batch.
 *
 * Descriptors are copied in bounded chunks on the stack; each chunk runs
 * under one hold of the ring lock and its results are copied out after it
 * is dropped, so nothing can fault or sleep under the spinlock.
 *
 * Return: 0 when every entry is done, else the failing entry's errno;
 * ub->done says how many entries succeeded either way.
 */
static long rtpm_ioctl_batch(struct rtpm_session *sess, unsigned int cmd,
			     struct rtpm_batch __user *ub)
{
	bool in = rtpm_cmd_reads_descs(cmd);
	struct rtpm_slot_desc d[RTPM_CHUNK];
	struct rtpm_slot_desc __user *ud;
	struct rtpm_ring *ring;
	struct rtpm_batch b;
	u32 done = 0, n, k;
	long err = 0;

	if (copy_from_user(&b, ub, sizeof(b))) {
		rtpm_count_invalid(sess);
		return -EFAULT;
	}
	/* Every chunk re-checks under the lock that @sess is still on @ring. */
	ring = READ_ONCE(sess->ring);
	if (!ring)
		return -ENOTCONN;
	if (!b.count || b.count > RTPM_BATCH_MAX || b.ring_id != ring->id ||
	    (b.dropped && cmd != RTPM_IOC_CLAIM_BATCH) ||
	    !rtpm_reserved_zero(b.reserved, sizeof(b.reserved))) {
		rtpm_count_invalid(sess);
		return -EINVAL;
	}
	ud = u64_to_user_ptr(b.descs);

	while (done < b.count && !err) {
		n = min_t(u32, b.count - done, RTPM_CHUNK);
		if (in && copy_from_user(d, ud + done, n * sizeof(d[0]))) {
			rtpm_count_invalid(sess);
			err = -EFAULT;
			break;
		}
		k = rtpm_data_run(sess, ring, cmd, d, n, !done, b.dropped, &err);
		if (k && !in && copy_to_user(ud + done, d, k * sizeof(d[0]))) {
			rtpm_count_invalid(sess);
			err = -EFAULT;
			break;
		}
		done += k;
		if (k < n && !err)	/* a pop batch that emptied the ring */
			break;
	}
	if (put_user(done, &ub->done))
		return -EFAULT;
	return err;
}

/* ------------------------------------------------------------------ */
/* File operations                                                     */

/**
 * rtpm_ioctl() - the ioctl entry point; see docs/ABI.md for every command.
 * @file: a /dev/rtp_mgr file.
 * @cmd: RTPM_IOC_*.
 * @arg: user pointer to the command's struct.
 *
 * Return: 0 or a negative errno; -ENOTTY for an unknown command.
 */
static long rtpm_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	struct rtpm_session *sess = file->private_data;
	void __user *uarg = (void __user *)arg;

#ifdef RTPM_FAULTS
	rtpm_fault_hook();	/* commits the build's deliberate bug, once */
#endif
	switch (cmd) {
	case RTPM_IOC_INFO:
		return rtpm_ioctl_info(uarg);
	case RTPM_IOC_ATTACH:
		return rtpm_ioctl_attach(sess, uarg);
	case RTPM_IOC_DETACH:
		return rtpm_ioctl_detach(sess);
	case RTPM_IOC_CONFIGURE:
		return rtpm_ioctl_configure(uarg);
	case RTPM_IOC_UNCONFIGURE:
		return rtpm_ioctl_unconfigure(uarg);
	case RTPM_IOC_GET_LAYOUT:
		return rtpm_ioctl_get_layout(uarg);
	case RTPM_IOC_START:
		return rtpm_ioctl_start_stop(uarg, true);
	case RTPM_IOC_STOP:
		return rtpm_ioctl_start_stop(uarg, false);
	case RTPM_IOC_GET_STATS:
		return rtpm_ioctl_get_stats(uarg);
	case RTPM_IOC_RESET_STATS:
		return rtpm_ioctl_reset_stats(uarg);
	case RTPM_IOC_CLAIM:
		return rtpm_ioctl_one(sess, RTPM_IOC_CLAIM_BATCH, uarg);
	case RTPM_IOC_PUSH:
		return rtpm_ioctl_one(sess, RTPM_IOC_PUSH_BATCH, uarg);
	case RTPM_IOC_POP:
		return rtpm_ioctl_one(sess, RTPM_IOC_POP_BATCH, uarg);
	case RTPM_IOC_RELEASE:
		return rtpm_ioctl_one(sess, RTPM_IOC_RELEASE_BATCH, uarg);
	case RTPM_IOC_CLAIM_BATCH:
	case RTPM_IOC_PUSH_BATCH:
	case RTPM_IOC_POP_BATCH:
	case RTPM_IOC_RELEASE_BATCH:
		return rtpm_ioctl_batch(sess, cmd, uarg);
	default:
		return -ENOTTY;
	}
}

/**
 * rtpm_poll() - EPOLLIN for a consumer with a READY slot, EPOLLOUT for a
 * producer that can claim, RTPM_POLL_STOPPED (EPOLLHUP for sessions that
 * attached with abi_minor 0) while stopped, EPOLLERR when detached.
 * @file: a /dev/rtp_mgr file.
 * @wait: the poll table.
 *
 * Pollers wait on the session's own queue, attached or not, so epoll
 * registered before ATTACH or across a re-ATTACH still hears the ring.
 *
 * Return: the event mask.
 */
static __poll_t rtpm_poll(struct file *file, poll_table *wait)
{
	struct rtpm_session *sess = file->private_data;
	struct rtpm_ring *ring;
	__poll_t mask = 0;

	poll_wait(file, &sess->wait, wait);
	ring = READ_ONCE(sess->ring);
	if (!ring)
		return EPOLLERR;
	spin_lock(&ring->lock);
	if (READ_ONCE(sess->ring) != ring) {
		mask = EPOLLERR;
	} else {
		if (!ring->core.running)
			mask |= sess->abi_minor ? (__force __poll_t)RTPM_POLL_STOPPED
						: EPOLLHUP;
		if ((sess->roles & RTPM_ROLE_CONSUMER) &&
		    rtpm_core_ready_count(&ring->core))
			mask |= EPOLLIN | EPOLLRDNORM;
		if ((sess->roles & RTPM_ROLE_PRODUCER) &&
		    rtpm_core_can_claim(&ring->core))
			mask |= EPOLLOUT | EPOLLWRNORM;
	}
	spin_unlock(&ring->lock);
	return mask;
}

/* Each VMA (also those made by a split or mremap) counts as a mapping. */
static void rtpm_vm_open(struct vm_area_struct *vma)
{
	struct rtpm_session *sess = vma->vm_private_data;

	atomic_inc(&sess->mappings);
	/* The ring stays: detach and re-attach fail while mappings exist. */
	atomic_inc(&READ_ONCE(sess->ring)->mappings);
}

static void rtpm_vm_close(struct vm_area_struct *vma)
{
	struct rtpm_session *sess = vma->vm_private_data;

	atomic_dec(&READ_ONCE(sess->ring)->mappings);
	atomic_dec(&sess->mappings);
}

static const struct vm_operations_struct rtpm_vm_ops = {
	.open = rtpm_vm_open,
	.close = rtpm_vm_close,
};

/* vm_flags became read-only in 6.3; Kbuild probes for the helpers. */
static void rtpm_vma_flags(struct vm_area_struct *vma, vm_flags_t set,
			   vm_flags_t clear)
{
#ifdef RTPM_HAVE_VM_FLAGS_SET
	vm_flags_mod(vma, set, clear);
#else
	vma->vm_flags = (vma->vm_flags | set) & ~clear;
#endif
}

/**
 * rtpm_mmap() - map the attached ring's region: offset 0, exactly
 * layout.mmap_size bytes, MAP_SHARED, never executable, read-only for a
 * monitor-only session; not growable. A read-only file can map it as a
 * monitor: MAP_SHARED of a file not open for writing loses VM_SHARED but
 * keeps VM_MAYSHARE. Not inherited across fork unless MADV_DOFORK asks
 * (docs/ABI.md says why VM_IO, which would forbid that, is not used).
 * @file: a /dev/rtp_mgr file.
 * @vma: the new mapping.
 *
 * Return: 0, -ENOTCONN, -EINVAL, -EPERM, -EACCES or remap's error.
 */
static int rtpm_mmap(struct file *file, struct vm_area_struct *vma)
{
	struct rtpm_session *sess = file->private_data;
	unsigned long size = vma->vm_end - vma->vm_start;
	vm_flags_t clear = VM_MAYEXEC;
	struct rtpm_ring *ring;
	int err;

	mutex_lock(&sess->mutex);
	ring = sess->ring;
	if (!ring) {
		err = -ENOTCONN;
		goto out_sess;
	}
	mutex_lock(&ring->mutex);
	if (vma->vm_pgoff || size != ring->core.geom.mmap_size ||
	    !(vma->vm_flags & VM_MAYSHARE)) {
		err = -EINVAL;
		goto out;
	}
	if (vma->vm_flags & VM_EXEC) {
		err = -EPERM;
		goto out;
	}
	if (!(sess->roles & (RTPM_ROLE_PRODUCER | RTPM_ROLE_CONSUMER))) {
		if (vma->vm_flags & VM_WRITE) {
			err = -EACCES;
			goto out;
		}
		clear |= VM_MAYWRITE;	/* no mprotect to writable later */
	}
	rtpm_vma_flags(vma, VM_DONTCOPY | VM_DONTEXPAND | VM_DONTDUMP, clear);
	err = remap_vmalloc_range(vma, ring->mem.region, 0);
	if (err)
		goto out;
	vma->vm_ops = &rtpm_vm_ops;
	vma->vm_private_data = sess;
	rtpm_vm_open(vma);
out:
	mutex_unlock(&ring->mutex);
out_sess:
	mutex_unlock(&sess->mutex);
	return err;
}

/**
 * rtpm_open() - start a session; it attaches later with RTPM_IOC_ATTACH.
 * @inode: the device inode.
 * @file: the new file.
 *
 * Return: 0 or -ENOMEM.
 */
static int rtpm_open(struct inode *inode, struct file *file)
{
	struct rtpm_session *sess;

	sess = kzalloc(sizeof(*sess), GFP_KERNEL);
	if (!sess)
		return -ENOMEM;
	mutex_init(&sess->mutex);
	atomic_set(&sess->mappings, 0);
	init_waitqueue_head(&sess->wait);
	init_waitqueue_func_entry(&sess->ring_wait, rtpm_sess_ring_woken);
	file->private_data = sess;
	/* No file position: this also spares a .llseek, whose helpers moved in 6.12. */
	return nonseekable_open(inode, file);
}

/**
 * rtpm_release() - the session's last reference went (close, exit, kill,
 * last munmap): abort its FILLING slots, reclaim its CONSUMED ones.
 * @inode: the device inode.
 * @file: the file.
 *
 * Return: 0.
 */
static int rtpm_release(struct inode *inode, struct file *file)
{
	struct rtpm_session *sess = file->private_data;

	mutex_lock(&sess->mutex);
	if (sess->ring)
		rtpm_detach(sess);
	mutex_unlock(&sess->mutex);
	mutex_destroy(&sess->mutex);
	kfree(sess);
	return 0;
}

static const struct file_operations rtpm_fops = {
	.owner = THIS_MODULE,
	.open = rtpm_open,
	.release = rtpm_release,
	.unlocked_ioctl = rtpm_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.mmap = rtpm_mmap,
	.poll = rtpm_poll,
};

static struct miscdevice rtpm_misc = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = RTPM_DEVICE_NAME,
	.fops = &rtpm_fops,
	.mode = 0600,
};

/* ------------------------------------------------------------------ */
/* /proc/driver/rtp_mgr                                                */

static const char *const rtpm_check_names[] = {
	[RTPM_CHECK_OK] = "ok",
	[RTPM_CHECK_GAUGES] = "BROKEN free+filling+ready+in_flight",
	[RTPM_CHECK_PUSHED] = "BROKEN pushed",
	[RTPM_CHECK_POPPED] = "BROKEN popped",
	[RTPM_CHECK_STATES] = "BROKEN slot states",
};

/*
 * One ring's lines, for a reader who may read it (the read bit its mode
 * grants the reader's f_cred, or CAP_NET_ADMIN: @admin); others see nothing
 * of it, not even that it exists.
 */
static void rtpm_proc_ring(struct seq_file *m, struct rtpm_ring *ring,
			   bool admin)
{
	const struct cred *cred = m->file->f_cred;
	struct rtpm_config cfg;
	struct rtpm_stats s;
	kuid_t owner;
	kgid_t group;
	u32 mode;
	int check;

	memset(&s, 0, sizeof(s));
	spin_lock(&ring->lock);
	if (!ring->configured ||
	    (!admin && !(rtpm_access_granted(ring, cred) & MAY_READ))) {
		spin_unlock(&ring->lock);
		return;
	}
	owner = ring->owner;
	group = ring->group;
	mode = ring->mode;
	cfg = ring->cfg;
	rtpm_core_stats(&ring->core, &s);
	check = rtpm_core_check(&ring->core);
	s.sessions = ring->sessions;
	s.mappings = atomic_read(&ring->mappings);
	spin_unlock(&ring->lock);

	seq_printf(m, "ring %u: %s slots %u payload %u policy %s tracking %s sessions %u mappings %u invariants %s\n",
		   ring->id, s.state & RTPM_STATE_RUNNING ? "running" : "stopped",
		   s.slot_count, cfg.max_payload,
		   cfg.drop_policy == RTPM_DROP_HEAD ? "head" : "tail",
		   cfg.flags & RTPM_CFG_NO_RTP_TRACKING ? "off" : "on",
		   s.sessions, s.mappings, rtpm_check_names[check]);
	seq_printf(m, "  owner %u group %u mode %03o\n",
		   from_kuid_munged(cred->user_ns, owner),
		   from_kgid_munged(cred->user_ns, group), mode);
	seq_printf(m, "  gauges free %u filling %u ready %u in_flight %u\n",
		   s.free, s.filling, s.ready, s.in_flight);
	seq_printf(m, "  pushed %llu popped %llu released %llu bytes_in %llu bytes_out %llu\n",
		   s.pushed, s.popped, s.released, s.bytes_in, s.bytes_out);
	seq_printf(m, "  overruns %llu drops %llu head_drops %llu flushed %llu reclaimed %llu aborted %llu underruns %llu invalid %llu\n",
		   s.overruns, s.drops, s.head_drops, s.flushed, s.reclaimed,
		   s.aborted, s.underruns, s.invalid);
	seq_printf(m, "  rtp ssrc 0x%08x max_seq %u lost %llu duplicates %llu reorders %llu resets %llu not_rtp %llu\n",
		   s.rtp_ssrc, s.rtp_max_seq, s.rtp_lost, s.rtp_duplicates,
		   s.rtp_reorders, s.rtp_resets, s.rtp_not_rtp);
}

static int rtpm_proc_show(struct seq_file *m, void *v)
{
	bool admin = file_ns_capable(m->file, &init_user_ns, CAP_NET_ADMIN);
	u64 used;
	u32 i;

	mutex_lock(&rtpm_total_lock);
	used = rtpm_used_bytes;
	mutex_unlock(&rtpm_total_lock);
	seq_printf(m, "rtp_mgr abi %u.%u max_rings %u max_ring_bytes %lu max_total_bytes %lu used_total_bytes %llu\n",
		   RTPM_ABI_MAJOR, RTPM_ABI_MINOR, max_rings, max_ring_bytes,
		   max_total_bytes, used);
	for (i = 0; i < max_rings; i++)
		rtpm_proc_ring(m, &rtpm_rings[i], admin);
	return 0;
}

/* ------------------------------------------------------------------ */
/* Module                                                              */

static void rtpm_check_abi(void)
{
	/* The UAPI sizes are the ABI: _IOW() encodes them and Java binds them. */
	BUILD_BUG_ON(sizeof(struct rtpm_info) != 104);
	BUILD_BUG_ON(sizeof(struct rtpm_attach) != 32);
	BUILD_BUG_ON(sizeof(struct rtpm_ring_ref) != 8);
	BUILD_BUG_ON(sizeof(struct rtpm_config) != 32);
	BUILD_BUG_ON(sizeof(struct rtpm_layout) != 96);
	BUILD_BUG_ON(sizeof(struct rtpm_slot_desc) != 8);
	BUILD_BUG_ON(sizeof(struct rtpm_batch) != 32);
	BUILD_BUG_ON(sizeof(struct rtpm_stats) != 240);
	BUILD_BUG_ON(sizeof(struct rtpm_ring_header) != 256);
	BUILD_BUG_ON(sizeof(struct rtpm_slot_meta) != RTPM_SLOT_ALIGN);
	BUILD_BUG_ON(RTPM_POLL_STOPPED != (__force u32)EPOLLPRI);
	/* Producer, consumer and RTP words on their own cache lines. */
	BUILD_BUG_ON(offsetof(struct rtpm_ring_header, pushed) != 64);
	BUILD_BUG_ON(offsetof(struct rtpm_ring_header, popped) != 128);
	BUILD_BUG_ON(offsetof(struct rtpm_ring_header, rtp_lost) != 192);
	/* rtpm_get_ring_id() reads ring_id at offset 0 of these. */
	BUILD_BUG_ON(offsetof(struct rtpm_layout, ring_id) != 0);
	BUILD_BUG_ON(offsetof(struct rtpm_stats, ring_id) != 0);
}

static void rtpm_rings_free(void)
{
	u32 i;

	for (i = 0; i < max_rings; i++) {
		rtpm_mem_free(&rtpm_rings[i].mem);
		mutex_destroy(&rtpm_rings[i].mutex);
	}
	kvfree(rtpm_rings);
	rtpm_rings = NULL;
}

static int __init rtpm_init(void)
{
	struct proc_dir_entry *proc;
	u32 i;
	int err;

	rtpm_check_abi();
	if (max_rings < 1 || max_rings > 4096) {
		pr_err("max_rings=%u: must be 1..4096\n", max_rings);
		return -EINVAL;
	}
	if (max_rings_per_user < 1 || max_rings_per_user > max_rings)
		max_rings_per_user = max_rings;
	/* Up to 4096 rings of about half a KiB: more than kmalloc should promise. */
	rtpm_rings = kvcalloc(max_rings, sizeof(*rtpm_rings), GFP_KERNEL);
	if (!rtpm_rings)
		return -ENOMEM;
	for (i = 0; i < max_rings; i++) {
		struct rtpm_ring *ring = &rtpm_rings[i];

		mutex_init(&ring->mutex);
		spin_lock_init(&ring->lock);
		init_waitqueue_head(&ring->wait);
		atomic_set(&ring->mappings, 0);
		ring->id = i;
	}

	proc = proc_create_single("driver/" RTPM_DEVICE_NAME, 0444, NULL,
				  rtpm_proc_show);
	if (!proc) {
		err = -ENOMEM;
		goto err_rings;
	}
	err = misc_register(&rtpm_misc);
	if (err)
		goto err_proc;
	pr_info("ABI %u.%u, %u rings\n", RTPM_ABI_MAJOR, RTPM_ABI_MINOR,
		max_rings);
	return 0;

err_proc:
	remove_proc_entry("driver/" RTPM_DEVICE_NAME, NULL);
err_rings:
	rtpm_rings_free();
	return err;
}

/* No file is open here (each holds a module reference), so no ring is in use. */
static void __exit rtpm_exit(void)
{
	misc_deregister(&rtpm_misc);
	remove_proc_entry("driver/" RTPM_DEVICE_NAME, NULL);
	rtpm_rings_free();
}

module_init(rtpm_init);
module_exit(rtpm_exit);

MODULE_DESCRIPTION("Kernel-managed rings of RTP packet slots shared through mmap");
MODULE_AUTHOR("rtpm developers");
MODULE_LICENSE("GPL");
