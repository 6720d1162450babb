//! A bump region in front of a general-purpose allocator, for the allocations of one call.
//!
//! An evaluation makes a few hundred short-lived allocations (a small store: ~250, ~23 KB) and
//! frees them all before it returns. [`Arena`] serves the allocations made inside a [`Scope`]
//! from one region by bumping a pointer, and makes the whole region free again as soon as the
//! last of its allocations is freed: it counts the live ones, so no call has to say when the
//! region may be reused, and an allocation that outlives its call only keeps the region from
//! being reused until it is freed (later allocations then go to the inner allocator). Outside a
//! scope, allocations that do not fit and the region itself come from the inner allocator.
//!
//! The WebAssembly module puts it in front of talc (`src/wasm.rs`) and opens a scope for each
//! evaluation: the allocator was ~6% of an evaluation of a small store in wasm (`node
//! --cpu-prof`), where a bump is a few instructions; freeing a region's blocks costs a compare
//! and a decrement. (Natively the server keeps the system allocator.)

use std::alloc::{GlobalAlloc, Layout};
use std::cell::Cell;

/// A bump region of `size` bytes in front of the allocator `A`: see the module docs.
///
/// Not `Sync` (its state is in `Cell`s): a `#[global_allocator]` wraps it in a type that is, on a
/// single-threaded target only (`src/wasm.rs`).
#[derive(Debug)]
pub struct Arena<A: GlobalAlloc> {
    inner: A,
    size: usize,
    /// The region, taken from `inner` by the first allocation in a scope (null until then).
    base: Cell<*mut u8>,
    /// `inner` could not give the region: every allocation goes to `inner`.
    refused: Cell<bool>,
    /// Offset of the region's first free byte.
    next: Cell<usize>,
    /// Allocations in the region not yet freed.
    live: Cell<usize>,
    /// Open scopes.
    depth: Cell<u32>,
}

/// While a `Scope` is alive, the arena serves allocations from its region (see [`Arena::scope`]).
#[derive(Debug)]
#[must_use = "the scope ends when this is dropped"]
pub struct Scope<'a, A: GlobalAlloc>(&'a Arena<A>);

impl<A: GlobalAlloc> Drop for Scope<'_, A> {
    fn drop(&mut self) {
        self.0.depth.set(self.0.depth.get().saturating_sub(1));
    }
}

impl<A: GlobalAlloc> Arena<A> {
    /// An arena of `size` bytes in front of `inner`; the region is taken from `inner` on first use.
    pub const fn new(inner: A, size: usize) -> Arena<A> {
        Arena {
            inner,
            size,
            base: Cell::new(std::ptr::null_mut()),
            refused: Cell::new(false),
            next: Cell::new(0),
            live: Cell::new(0),
            depth: Cell::new(0),
        }
    }

    /// Serves allocations from the region until the returned guard is dropped (scopes nest).
    /// Blocks allocated in a scope may be freed at any time, inside it or after it.
    pub fn scope(&self) -> Scope<'_, A> {
        self.depth.set(self.depth.get().saturating_add(1));
        Scope(self)
    }

    /// The offset of `ptr` in the region, if it is in it (else it came from the inner allocator).
    fn offset(&self, ptr: *mut u8) -> Option<usize> {
        let base = self.base.get();
        let off = (ptr as usize).wrapping_sub(base as usize);
        (!base.is_null() && off < self.size).then_some(off)
    }

    /// Whether `ptr` is in the region.
    #[cfg(test)]
    pub fn owns(&self, ptr: *mut u8) -> bool {
        self.offset(ptr).is_some()
    }

    /// Bytes of the region handed out since it was last all free (alignment padding included).
    #[cfg(test)]
    pub fn in_use(&self) -> usize {
        self.next.get()
    }

    /// The region, taken from `inner` on first use; `None` if `inner` refused it.
    fn region(&self) -> Option<*mut u8> {
        let base = self.base.get();
        if !base.is_null() {
            return Some(base);
        }
        if self.refused.get() {
            return None;
        }
        let layout = Layout::from_size_align(self.size, 16).ok()?;
        // SAFETY: `layout` has a non-zero size (`bump` returns before this for a zero size)
        let base = unsafe { self.inner.alloc(layout) };
        self.refused.set(base.is_null());
        self.base.set(base);
        (!base.is_null()).then_some(base)
    }

    /// A block from the region, or `None` when outside a scope or it does not fit.
    fn bump(&self, layout: Layout) -> Option<*mut u8> {
        if self.depth.get() == 0 || self.size == 0 {
            return None;
        }
        let base = self.region()?;
        let free = (base as usize).checked_add(self.next.get())?;
        let start = self.next.get() + (free.checked_next_multiple_of(layout.align())? - free);
        let end = start.checked_add(layout.size()).filter(|&e| e <= self.size)?;
        self.next.set(end);
        self.live.set(self.live.get() + 1);
        // SAFETY: start <= end <= size: in the region (a pointer derived from `base`)
        Some(unsafe { base.add(start) })
    }
}

impl<A: GlobalAlloc> Drop for Arena<A> {
    /// Returns the region to the inner allocator. (The module's arena is a static, never
    /// dropped; arenas in tests are.)
    fn drop(&mut self) {
        let base = self.base.get();
        if let (false, Ok(layout)) = (base.is_null(), Layout::from_size_align(self.size, 16)) {
            // SAFETY: `base` came from `inner.alloc(layout)` and is freed once, here
            unsafe { self.inner.dealloc(base, layout) };
        }
    }
}

// SAFETY: every block handed out is either the inner allocator's (returned to it) or a range of
// the region that no other live block overlaps: `next` only moves back (to the end of a block
// being freed or resized in place, or to the region's start) over blocks that are all freed. A
// block freed from the top of the region lowers `next` to its start; when the live count reaches
// zero no block of the region is in use and `next` returns to the start.
unsafe impl<A: GlobalAlloc> GlobalAlloc for Arena<A> {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        match self.bump(layout) {
            Some(p) => p,
            None => self.inner.alloc(layout),
        }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        let Some(off) = self.offset(ptr) else {
            return self.inner.dealloc(ptr, layout);
        };
        let live = self.live.get().saturating_sub(1);
        self.live.set(live);
        if live == 0 {
            self.next.set(0);
        } else if off + layout.size() == self.next.get() {
            // the last block handed out: its bytes can be handed out again
            self.next.set(off);
        }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let Some(off) = self.offset(ptr) else {
            return self.inner.realloc(ptr, layout, new_size);
        };
        if off + layout.size() == self.next.get() {
            // the last block: grows or shrinks in place when it fits
            if let Some(end) = off.checked_add(new_size).filter(|&e| e <= self.size) {
                self.next.set(end);
                return ptr;
            }
        } else if new_size <= layout.size() {
            return ptr;
        }
        // SAFETY (caller's contract): `new_size`, rounded up to `layout.align()`, does not overflow
        let new_layout = Layout::from_size_align_unchecked(new_size, layout.align());
        let q = self.alloc(new_layout);
        if !q.is_null() {
            std::ptr::copy_nonoverlapping(ptr, q, layout.size().min(new_size));
            self.dealloc(ptr, layout);
        }
        q
    }
}

// (not on wasm32: proptest does not build there; the wasm suites run the module with it in place)
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::Arena;
    use proptest::prelude::*;
    use std::alloc::{GlobalAlloc, Layout, System};

    /// A live block: where, its layout, and the byte it was filled with.
    struct Block {
        ptr: *mut u8,
        layout: Layout,
        fill: u8,
    }

    fn check(b: &Block) {
        // SAFETY: the block is live, `layout.size()` bytes, filled with `fill`
        let bytes = unsafe { std::slice::from_raw_parts(b.ptr, b.layout.size()) };
        assert!(bytes.iter().all(|&x| x == b.fill), "a block's bytes were overwritten");
        assert_eq!(b.ptr as usize % b.layout.align(), 0, "misaligned block");
    }

    fn fill(b: &Block) {
        // SAFETY: the block is live, `layout.size()` bytes
        unsafe { std::ptr::write_bytes(b.ptr, b.fill, b.layout.size()) };
    }

    #[derive(Debug, Clone)]
    enum Op {
        Alloc { size: usize, align_log2: u32 },
        Free(usize),
        Realloc(usize, usize),
        Enter,
        Leave,
    }

    fn op() -> impl Strategy<Value = Op> {
        prop_oneof![
            4 => (1usize..600, 0u32..7).prop_map(|(size, align_log2)| Op::Alloc { size, align_log2 }),
            3 => any::<usize>().prop_map(Op::Free),
            2 => (any::<usize>(), 1usize..900).prop_map(|(i, n)| Op::Realloc(i, n)),
            1 => Just(Op::Enter),
            1 => Just(Op::Leave),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]
        /// Any sequence of allocations, frees and resizes, in and out of scopes: every live block
        /// keeps its bytes and alignment, and once all are freed the region is free again.
        #[test]
        fn blocks_never_overlap_and_the_region_comes_back(ops in proptest::collection::vec(op(), 1..200)) {
            let arena = Arena::new(System, 2048);
            let mut blocks: Vec<Block> = Vec::new();
            let mut scopes = Vec::new();
            let mut fills = 0u8;
            for op in ops {
                match op {
                    Op::Alloc { size, align_log2 } => {
                        let layout = Layout::from_size_align(size, 1 << align_log2).unwrap();
                        // SAFETY: non-zero size
                        let ptr = unsafe { arena.alloc(layout) };
                        prop_assert!(!ptr.is_null());
                        fills = fills.wrapping_add(1);
                        let b = Block { ptr, layout, fill: fills };
                        fill(&b);
                        blocks.push(b);
                    }
                    Op::Free(i) if !blocks.is_empty() => {
                        let b = blocks.swap_remove(i % blocks.len());
                        check(&b);
                        // SAFETY: allocated by `arena` with this layout, freed once
                        unsafe { arena.dealloc(b.ptr, b.layout) };
                    }
                    Op::Realloc(i, n) if !blocks.is_empty() => {
                        let k = i % blocks.len();
                        let b = &mut blocks[k];
                        check(b);
                        // SAFETY: allocated by `arena` with this layout; n > 0
                        let q = unsafe { arena.realloc(b.ptr, b.layout, n) };
                        prop_assert!(!q.is_null());
                        // the bytes kept are the old ones; the rest is filled anew
                        let kept = unsafe { std::slice::from_raw_parts(q, b.layout.size().min(n)) };
                        prop_assert!(kept.iter().all(|&x| x == b.fill));
                        b.ptr = q;
                        b.layout = Layout::from_size_align(n, b.layout.align()).unwrap();
                        fill(b);
                    }
                    Op::Enter => scopes.push(arena.scope()),
                    Op::Leave => { scopes.pop(); }
                    _ => {}
                }
                for b in &blocks {
                    check(b);
                }
                let mut spans: Vec<(usize, usize)> = blocks.iter().map(|b| (b.ptr as usize, b.ptr as usize + b.layout.size())).collect();
                spans.sort_unstable();
                prop_assert!(spans.windows(2).all(|w| w[0].1 <= w[1].0), "blocks overlap");
            }
            drop(scopes);
            for b in blocks.drain(..) {
                check(&b);
                // SAFETY: allocated by `arena` with this layout, freed once
                unsafe { arena.dealloc(b.ptr, b.layout) };
            }
            prop_assert_eq!(arena.in_use(), 0);
        }
    }

    #[test]
    fn a_block_that_outlives_its_call_keeps_only_its_own_bytes_busy() {
        let arena = Arena::new(System, 1024);
        let small = Layout::from_size_align(64, 8).unwrap();
        // SAFETY (whole test): non-zero layouts; every block freed once with its layout
        unsafe {
            let kept = {
                let _scope = arena.scope();
                let kept = arena.alloc(small);
                let temp = arena.alloc(small);
                arena.dealloc(temp, small);
                kept
            };
            assert!(arena.owns(kept));
            assert_eq!(arena.in_use(), 64, "the freed top block is handed out again");
            {
                let _scope = arena.scope();
                let a = arena.alloc(small);
                assert!(arena.owns(a) && a as usize >= kept as usize + 64);
                arena.dealloc(a, small);
                // too big for what is left: from the inner allocator
                let big = Layout::from_size_align(1000, 8).unwrap();
                let b = arena.alloc(big);
                assert!(!arena.owns(b));
                arena.dealloc(b, big);
            }
            arena.dealloc(kept, small);
            assert_eq!(arena.in_use(), 0);
        }
    }

    #[test]
    fn scopes_nest_and_outside_them_the_inner_allocator_serves() {
        let arena = Arena::new(System, 1024);
        let l = Layout::from_size_align(16, 8).unwrap();
        // SAFETY (whole test): non-zero layouts; every block freed once with its layout
        unsafe {
            let outer = arena.scope();
            let inner = arena.scope();
            drop(inner);
            let a = arena.alloc(l);
            assert!(arena.owns(a), "still in the outer scope");
            drop(outer);
            let b = arena.alloc(l);
            assert!(!arena.owns(b));
            // growing the region's last block past the region's end moves it out, bytes kept
            std::ptr::write_bytes(a, 7, 16);
            let _scope = arena.scope();
            let c = arena.realloc(a, l, 4096);
            assert!(!arena.owns(c) && std::slice::from_raw_parts(c, 16).iter().all(|&x| x == 7));
            assert_eq!(arena.in_use(), 0, "its old place was the region's last live block");
            arena.dealloc(c, Layout::from_size_align(4096, 8).unwrap());
            arena.dealloc(b, l);
        }
    }

    /// An inner allocator that has nothing to give.
    struct Empty;
    // SAFETY: never hands out memory
    unsafe impl GlobalAlloc for Empty {
        unsafe fn alloc(&self, _: Layout) -> *mut u8 {
            std::ptr::null_mut()
        }
        unsafe fn dealloc(&self, _: *mut u8, _: Layout) {}
    }

    #[test]
    fn without_a_region_every_allocation_is_the_inner_allocators() {
        let arena = Arena::new(Empty, 1024);
        let _scope = arena.scope();
        // SAFETY: a non-zero layout
        let p = unsafe { arena.alloc(Layout::from_size_align(8, 8).unwrap()) };
        assert!(p.is_null(), "the inner allocator's answer, not a block of a region never taken");
        assert_eq!(arena.in_use(), 0);
    }
}
