"""Drawing the window from the state and the latest snapshot, and the lesson docks' actions.

It redraws on a 20 ms timer (at most 50 frames a second), each panel at the pace of its tier in
visualizer/model/panels.py while training: the cost line and the σ dots at every frame, the gallery
and the cost panel's metric curves at most 10 times a second, the surface at most 5 times and the
weights, the verdicts and the lessons on the frame after it; it skips hidden docks. Each Python
frame holds the GIL the training thread needs, so what the eye does not follow at 50/s is drawn
less often. A panel draws itself with ``draw(frame)``; the surface, the cost curve and the
Controls need more than one frame (a worker, the history between snapshots) and are drawn here.
"""

from __future__ import annotations

import time

import numpy as np
from PySide6.QtCore import QTimer
from PySide6.QtGui import QImage

from visualizer.app.common.model_note import ModelNote
from visualizer.app.panels.surface import contour_lines, paste_gl
from visualizer.app.run.frame import Frame, build_frame
from visualizer.app.run.worker import Worker
from visualizer.core.analysis.lessons import time_vectorization
from visualizer.core.engine.metrics import cost_text
from visualizer.core.models.registry import model_of
from visualizer.core.reference.lecture import numerical_gradient, relative_difference, vectorized_gradients
from visualizer.model.panels import BY_KEY, FRAME, MEDIUM, SLOW, in_tier, means

FRAME_MS = 20  # at most 50 redraws a second
SLOW_PANELS_S = 0.2  # the surface and the weights: at most 5 redraws a second while training
MEDIUM_PANELS_S = 0.1  # the gallery and the metric curves: at most 10 a second while training
GHOST_DELAY_MS = 150  # the ghost is drawn once the alpha slider rests, not at every tick
#: A slice (and edge) that took longer than this is computed on a worker while training: on 20,000
#: images one takes seconds, and the window must answer the mouse meanwhile; a network's on the flower
#: takes 25-45 ms, which on the GUI thread cost the window every fifth frame. A quarter of a frame.
SURFACE_SYNC_S = FRAME_MS / 4000
#: Drawn by the code below rather than by their own ``draw(frame)``.
DRAWN_HERE = ("surface", "cost", "controls")


class Rendering:
    """Mixed into MainWindow: everything that turns the state into pixels."""

    def _init_rendering(self) -> None:
        self.frames = 0
        self.edge = None  # the Edge at the iteration shown
        self._shown = None
        self._ghost_shown = None
        self._slow_at = 0.0
        self._medium_at = 0.0
        self._slow_due = False
        self._rate = (time.monotonic(), 0, 0.0)
        self._jobs: list[Worker] = []
        self._surface_cost = 0.0  # seconds the last slice and edge took
        self._curve_at = 0  # the iterations the cost curve shows
        self._surface_job: Worker | None = None
        self._surface_asked = self._surface_shown = 0  # slices asked for and the latest shown, in order
        self._notes: dict[str, ModelNote] = {}  # panels that say they show logistic regression only

    def _on_screen(self, name: str) -> bool:
        """A dock that can be seen: a tab behind another counts as visible to Qt but is not drawn."""
        dock = self.docks[name]
        return dock.isVisible() and not dock.visibleRegion().isEmpty()

    def redraw_soon(self) -> None:
        """Everything on screen is drawn again at the next frame (slow panels as their own pace allows)."""
        self._shown = None

    def showEvent(self, event) -> None:
        super().showEvent(event)
        QTimer.singleShot(0, lambda: self.refresh(force=True))  # hidden panels were skipped until now

    def _draw_ghost(self) -> None:
        if self.cost_curve.show_ghost.isChecked():
            self.controller.draw_ghost()
            self.refresh(force=True)

    def lesson(self, key: str):
        return self.panels[key]

    def open_lesson(self, key: str) -> None:
        """A lesson opens as a tab of the Lessons window (its panel is made the first time)."""
        self.lesson(key)
        self.lessons_window.open(self.docks[key])
        if key == "bowl" and self.lesson("bowl").bowl is None:
            self.lesson("bowl").set_data(self.controller.train.X, self.controller.train.Y)
        self.refresh(force=True)

    def close_lesson(self) -> None:
        """Close the lesson in front (Ctrl+W or Esc)."""
        self.lessons_window.close_front()

    def check_gradient(self) -> None:
        c = self.controller
        c.pause()
        gd = c.gd
        if model_of(gd).has_hidden:  # the lesson's panel says it is logistic regression's
            return
        w, b = gd.w, gd.b
        X, Y = gd.param.X, gd.y
        _, dw, db = vectorized_gradients(w, b, X, Y, gd.loss)
        ndw, ndb = numerical_gradient(w, b, X, Y, gd.loss)
        self.lesson("computation-graph").show_check(relative_difference(np.append(dw, db), np.append(ndw, ndb)))

    def time_vectorization(self) -> None:
        panel = self.lesson("vectorization")
        if model_of(self.controller.gd).has_hidden:  # the lesson's panel says it is logistic regression's
            return
        panel.run.setEnabled(False)
        panel.result.setText("Running… (the loop version takes about two seconds)")
        gd, m, train = self.controller.gd, self.controller.gd.m, self.controller.train
        with self.controller.coordinates.reading():
            w, b, X, Y = gd.w, gd.b, gd.param.X, gd.y
        job = Worker(lambda _cancelled, _progress: time_vectorization(X, Y, w, b), self)
        job.finished.connect(lambda: job.result is not None and self.controller.train is train  # still this data
                             and panel.show_timing(job.result, m))
        job.failed.connect(lambda msg: panel.result.setText(f"The timing failed: {msg}"))
        job.finished.connect(lambda: self._jobs.remove(job) if job in self._jobs else None)
        self._jobs.append(job)
        job.start()

    # ------------------------------------------------------------------ drawing
    def refresh(self, force: bool = False) -> None:
        c = self.controller
        key = (c.latest.iteration, self.view_iteration, c.gd)
        if not force and key == self._shown:
            # Snapshots of a large mini-batch run come seldom (each is a pass over X); the cost curve,
            # drawn from the history, goes on between them.
            done = len(c.gd.history.costs)
            if c.running and self.view_iteration is None and done > self._curve_at and \
                    self._on_screen("cost"):
                self._draw_cost(done, None, metrics=False)
                self.frames += 1
            return
        self._shown = key
        with c.coordinates.reading():  # a switch of optimizer may move the run to other coordinates meanwhile
            frame = build_frame(c, self.view_iteration, self.selected, self.state.threshold, self.state.cell)
            now = time.monotonic()
            medium = force or not c.running or now - self._medium_at >= MEDIUM_PANELS_S
            if medium:
                self._medium_at = now
            self._draw_fast(frame, medium)
            if force or not c.running or now - self._slow_at >= SLOW_PANELS_S:
                self._slow_at = now
                self._draw_surface(frame, force)
                self._slow_due = c.running  # then the other slow panels on the next frame, so no frame carries both
                if not c.running:
                    self._draw_tier(SLOW, frame)
            elif self._slow_due:
                self._slow_due = False
                self._draw_tier(SLOW, frame)
        self.frames += 1

    def _draw_tier(self, tier: str, frame: Frame) -> None:
        """The panels of ``tier`` that can be seen, each drawn from the frame."""
        for key in in_tier(tier):
            if key not in DRAWN_HERE and self._on_screen(key) and self._means(key, frame):
                self.panels[key].draw(frame)

    def _means(self, key: str, frame: Frame) -> bool:
        """Whether panel ``key``'s picture means something for the run's model; if not, the panel says so."""
        if means(key, frame.model.name):
            if key in self._notes:
                self._notes[key].hide()
            return True
        note = self._notes.get(key) or self._notes.setdefault(key, ModelNote(self.panels[key]))
        note.show(f"“{BY_KEY[key].title}” shows logistic regression only: one neuron's w and b, and its J(w, b). "
                  f"The run now trains a {frame.model.label.lower()}; choose Logistic regression in the Controls' "
                  "Model group to see it here.")
        return False

    def _draw_fast(self, frame: Frame, medium: bool = True) -> None:
        c = self.controller
        self.controls.show_timeline(frame.iteration, c.latest.iteration, c.replay_note(), c.gd.replay_from)
        if self._on_screen("cost"):
            self._draw_cost(c.latest.iteration, (c.latest.iteration, c.latest.cost), metrics=medium)
            if c.ghost is not self._ghost_shown:
                self._ghost_shown = c.ghost
                self.cost_curve.show_ghost_costs(0 if c.ghost is None else c.ghost.start,
                                                 [] if c.ghost is None else c.ghost.costs)
        self._draw_tier(FRAME, frame)
        if medium:
            self._draw_tier(MEDIUM, frame)
        self._show_status(frame)

    def _draw_cost(self, n: int, now, metrics: bool = True) -> None:
        c = self.controller
        self._curve_at = n
        self.cost_curve.show_history(c.gd.history, n, self.view_iteration, now=now, m=c.gd.m, metrics=metrics)

    def _draw_surface(self, frame: Frame, force: bool = True) -> None:
        """The slice and the edge; on the GUI thread when cheap (or forced), else on a worker, one at a time."""
        visible = self.surface.isVisible()
        batches = frame.batch is not None and not frame.model.has_hidden  # a network's slice is of all m examples
        self.surface.this_batch.setEnabled(batches)
        this_batch = batches and self.surface.this_batch.isChecked()
        ghost = self.controller.ghost
        ghost = ghost.thetas if ghost and ghost.belongs_to(self.controller.gd) and \
            self.cost_curve.show_ghost.isChecked() else None
        self.surface.set_model(frame.model.has_hidden)
        kind, param = self.surface.kind, frame.gd.param

        def compute(*_):
            started = time.perf_counter()
            with self.controller.coordinates.reading():
                if frame.gd.param is not param:  # a switch of optimizer moved the run since this frame
                    return None
                view = frame.surface(kind, ghost=ghost, this_batch=this_batch) if visible else None
                edge = frame.edge()
            lines = None if view is None else contour_lines(view)  # with the slice, off the GUI thread when it is
            return view, lines, edge, time.perf_counter() - started

        self._surface_asked += 1
        asked = self._surface_asked

        def show(result) -> None:
            # a worker's slice of an earlier frame, ending after a later one was drawn, must not bring its edge back
            if result is None or asked < self._surface_shown:
                return
            self._surface_shown = asked
            view, lines, edge, self._surface_cost = result
            if view is not None:
                self.surface.show_view(view, batch=frame.batch.size if this_batch else None, m=frame.gd.m,
                                       lines=lines)
            self.edge = edge
            self.controls.show_edge(edge, frame.alpha)  # the edge and the α of one iteration

        if force or self._surface_cost <= SURFACE_SYNC_S:
            show(compute())
        elif self._surface_job is None:
            job = self._surface_job = Worker(compute, self)
            # a result for a run since replaced (new data, reset) is dropped
            job.succeeded.connect(lambda result: frame.gd is not self.controller.gd or show(result))
            job.finished.connect(lambda: self._surface_done(job))
            self._jobs.append(job)
            job.start()
        if self._on_screen("cost"):
            # the whole run, as the cost and accuracy above it (the now line marks the iteration looked at)
            self.cost_curve.show_stability(self.controller.gd.history, self.controller.latest.iteration)

    def _surface_done(self, job: Worker) -> None:
        if job in self._jobs:
            self._jobs.remove(job)
        if self._surface_job is job:
            self._surface_job = None

    def _show_status(self, frame: Frame) -> None:
        c = self.controller
        t0, it0, rate = self._rate
        now = time.monotonic()
        if now - t0 >= 0.5:
            rate = (c.latest.iteration - it0) / (now - t0) if c.running else 0.0
            self._rate = (now, c.latest.iteration, rate)
        test = "" if frame.test_accuracy is None else f"   test {frame.test_accuracy:.1f} %"
        d = c.train
        self.status.setText(
            f"iteration {frame.iteration}   J = {cost_text(frame.cost)}   train {frame.train_accuracy:.1f} %{test}   "
            f"α = {frame.alpha:g}   " + (f"{rate:,.0f} it/s   " if c.running else  # no past speed
                                         "replaying   " if self.replayer.playing else "paused   ")
            + f"{d.source}: m = {d.m}, n_x = {d.n_x}"
        )

    def grab_image(self) -> QImage:
        """The window as an image, 3-D view included (grab() alone leaves it blank)."""
        image = self.grab().toImage()
        paste_gl(image, self, self.surface)
        return image

