/**
 * Virtio devices on the virtio-mmio transport (VIRTIO 1.2, modern interface only).
 *
 * <ul>
 * <li>{@link org.duvisor.board.virtio.VirtioMmio}: the register window of one slot (§4.2.2), the
 * device status handshake and feature negotiation (§3.1), interrupts, and the error state
 * DEVICE_NEEDS_RESET (§2.1) entered on any driver error.</li>
 * <li>{@link org.duvisor.board.virtio.Virtqueue} and {@link org.duvisor.board.virtio.DescriptorChain}:
 * the device side of a split virtqueue (§2.7). Every guest-supplied address is checked against
 * the transport's {@link org.duvisor.board.virtio.DmaMemory} before it is touched; a malformed ring or chain becomes a
 * {@link org.duvisor.board.virtio.DriverError}, never a host exception or a stray access.</li>
 * <li>{@link org.duvisor.board.virtio.VirtioDevice}: what a device type supplies (id, features,
 * configuration space, queue processing); {@link org.duvisor.board.virtio.VirtioBlk},
 * {@link org.duvisor.board.virtio.VirtioConsole} and {@link org.duvisor.board.virtio.VirtioRng}
 * implement it.</li>
 * </ul>
 *
 * <p>Requests are served synchronously on the hart thread that writes QueueNotify; host input
 * (the console) arrives on its own thread and is delivered through
 * {@link org.duvisor.board.virtio.VirtioDevice.Host#requestService}. Each transport instance is its
 * own lock, so devices need no locking of their own for queue work.
 *
 * <p>Device writes go straight into the RAM segment; they do not pass through the translator's
 * code-write tracking. As on hardware, a guest that executes what a device wrote issues FENCE.I
 * first (Linux does when it maps the page executable).
 */
package org.duvisor.board.virtio;
