"""Train, step, reset and the learning rate: the learner's hands on the run."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QActionGroup
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QMenu,
    QPushButton,
    QSlider,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from visualizer.app.common.fitting import LiveLabelBox, WrappedLabel
from visualizer.app.panels.alpha_control import AlphaControl
from visualizer.app.panels.model_controls import ModelControls
from visualizer.app.panels.optimizer_controls import OptimizerControls
from visualizer.core.analysis.presets import LABELS
from visualizer.core.optim.registry import SPECS
from visualizer.core.optim.spec import join
from visualizer.model.constraints import RUN
from visualizer.model.pacing import REPLAY_SPEEDS, SPEEDS, WATCH_SECONDS, speed_label
from visualizer.model.state import NEW_RUN

TIMELINE_TIP = ("Scrub through the iterations done so far (← steps back). The whole window shows that iteration; "
                "training on from there starts a new branch.")
EDGE_REASONS = {
    "not convex": "J curves downward here along some direction (squared error is not convex): "
                  "no single α is the edge of stability.",
    "flat": "J is flat here: every σ(z) is saturated, so there is no edge of stability to speak of.",
}
NETWORK_EDGE_TIP = ("On a network J is not convex: its curvature λmax (the Hessian's largest eigenvalue) changes "
                    "as training goes, and full-batch descent tends to raise it until 2/λmax meets α, then hovers "
                    "near it while J no longer falls at every step (Cohen et al., 2021; on the course's flower at "
                    "α = 1.2 2/λmax first meets α at iteration 7,132). No formula gives it: the "
                    "window measures λmax with the metrics, by power iteration on exact Hessian-vector products, "
                    "and the Cost panel's lowest plot draws 2/λmax against α.")
class ControlsPanel(QWidget):
    """Buttons and settings. Settings are the state's: shown from it, changed through its intents."""

    trainToggled = Signal()
    stepRequested = Signal(int)
    resetRequested = Signal()
    presetChosen = Signal(str)
    replayRequested = Signal()  # the Replay button: play the run again, or stop the replay
    replaySpeedChosen = Signal(object)

    def __init__(self, state):
        super().__init__()
        self.state = state
        s = state.settings
        self.train_button = QPushButton("&Train")
        self.train_button.setToolTip("Start or pause gradient descent (Space).")
        self.step_buttons = []
        steps = QHBoxLayout()
        for n, label, name in ((1, "Step →", "Step once"), (10, "×10", "Step 10 times"),
                               (100, "×100", "Step 100 times")):
            b = QPushButton(label)
            b.setAccessibleName(name)
            b.setToolTip(f"Run {n} iteration{'s' if n > 1 else ''} of gradient descent: compute ŷ = σ(wᵀx + b) "
                         "for every example, then dw, db, and take one step downhill." + (" (→)" if n == 1 else ""))
            b.clicked.connect(lambda _=False, n=n: self.stepRequested.emit(n))
            steps.addWidget(b)
            self.step_buttons.append(b)
        self.reset_button = QPushButton("&Reset")
        self.reset_button.setToolTip("Start again from the initial w and b (R).")
        self.alpha = AlphaControl(s.alpha)
        self.budget = QSpinBox()
        self.budget.setRange(*RUN["budget"].widget_range())
        self.budget.setSingleStep(RUN["budget"].step)
        self.budget.setSpecialValueText("until J stops falling")
        self.budget.setKeyboardTracking(False)  # typing 2000 while training: not a budget of 2 first
        self.budget.setToolTip("How many iterations one press of Train runs (the course uses 2000). "
                               "0 runs until the cost stops falling.")
        self.speed = QComboBox()
        for label, value in SPEEDS:
            self.speed.addItem(label, value)
        self.speed.setToolTip(f"How fast Train plays. {speed_label(SPEEDS[0][1])}, the default, plays the "
                              f"iterations of one press in about {WATCH_SECONDS:g} s, spaced as on a log axis: the "
                              "first ones, where J changes most, slowly, the later ones fast. The others are "
                              "iterations per second; slow motion lets you follow each step.")
        self.init = QComboBox()
        self.init.addItem("Zeros (course)", "zeros")
        self.init.addItem("Random (seeded)", "random")
        self.init.setToolTip("Initial parameters: zeros, as in the course, or small random values from the seed "
                             "below. For logistic regression zeros are fine: J is convex.")
        self.seed = QSpinBox()
        self.seed.setRange(*RUN["seed"].widget_range())
        self.seed.setToolTip("Seed for the random initialization.")
        self.loss = QComboBox()
        self.loss.addItem("Cross-entropy", "cross-entropy")
        self.loss.addItem("Squared error", "squared-error")
        self.loss.setToolTip("L(ŷ, y). Cross-entropy, the course's loss, makes J convex; squared error (ŷ − y)² "
                             "does not, so descent can stall on plateaus.")

        self.timeline = QSlider(Qt.Orientation.Horizontal)
        self.timeline.setRange(0, 0)
        self.timeline.setAccessibleName("Timeline")
        self.timeline.setToolTip(TIMELINE_TIP)
        self._no_past = False  # the timeline and Replay disabled: nothing before the run's end can be shown
        self.timeline_label = WrappedLabel("iteration 0")  # "…; before 100 adam moved the run…" wraps
        self.replay_speed = REPLAY_SPEEDS[0][1]
        self.replay_button = self._replay_button()
        self.show_replaying(False)

        run_box = QGroupBox("Run")
        run = QVBoxLayout(run_box)
        run.addWidget(self.train_button)
        run.addLayout(steps)
        run.addWidget(self.reset_button)
        timeline_row = QHBoxLayout()
        timeline_row.addWidget(self.timeline, 1)
        timeline_row.addWidget(self.replay_button)
        run.addLayout(timeline_row)
        run.addWidget(LiveLabelBox(self.timeline_label))  # it changes at every frame
        form_box = QGroupBox("Settings")
        form = QFormLayout(form_box)
        form.addRow("Le&arning rate α", self.alpha)
        # Alt+A types into the field; a focus proxy there made Tab skip the slider before it
        form.labelForField(self.alpha).setBuddy(self.alpha.field)
        self.alpha.slider.setAccessibleName("Learning rate α")
        self.alpha.field.setAccessibleName("Learning rate α, typed")
        self.edge_label = WrappedLabel()
        self.edge_label.setToolTip("Near the current point J is about a quadratic bowl, and gradient descent is "
                                   "stable along every direction while α < 2/λmax, where λmax is the largest "
                                   "curvature (Hessian eigenvalue) of J here (with L2, of J + (λ/2m)‖w‖²). "
                                   + " ".join(f"{s.label}: {s.edge_formula}." for s in SPECS.values() if s.edge)
                                   + " " + join(s.name for s in SPECS.values() if not s.edge) + ": none. "
                                   "The edge is local: it moves as training changes a(1 − a), so a run above it "
                                   "here may rise, then come down where the edge is higher. The red mark on the "
                                   "slider shows it.")
        self._edge_tip = self.edge_label.toolTip()
        self._edge_text, self._alpha_refused = "", ""  # the edge line, and why a typed α was just refused
        form.addRow("", LiveLabelBox(self.edge_label))  # it changes with the surface, 5 times a second
        self.presets = QComboBox()
        self.presets.addItem("Lesson presets…", None)
        for name in LABELS:
            self.presets.addItem(name, name)
        self.presets.setToolTip("An α whose run does what the name says on this data with these settings: the "
                                "window runs candidate α's from the start first (a few seconds at most), or says "
                                "why none does.")
        self.presets.activated.connect(self._preset)
        form.addRow("Sh&ow me", self.presets)  # Alt+M is the Model's
        form.addRow("&Iterations", self.budget)
        form.addRow("S&peed", self.speed)
        form.addRow("I&nitialization", self.init)
        form.addRow("See&d", self.seed)  # Alt+E opens the Edit menu
        form.addRow("&Loss", self.loss)
        self.form = form
        self.model = ModelControls(state)
        self.optimizer = OptimizerControls(state)
        layout = QVBoxLayout(self)
        layout.addWidget(run_box)
        layout.addWidget(form_box)
        layout.addWidget(self.model)
        layout.addWidget(self.optimizer)
        layout.addStretch(1)

        self.show_settings(s)
        self.train_button.clicked.connect(self.trainToggled)
        self.reset_button.clicked.connect(self.resetRequested)
        self.alpha.alphaChanged.connect(lambda a: state.change_settings(alpha=a))
        self.budget.valueChanged.connect(lambda v: state.change_settings(budget=v))
        self.speed.currentIndexChanged.connect(lambda _: state.change_settings(speed=self.speed.currentData()))
        self.init.currentIndexChanged.connect(lambda _: state.change_settings(init=self.init.currentData()))
        self.loss.currentIndexChanged.connect(lambda _: state.change_settings(loss=self.loss.currentData()))
        self.seed.valueChanged.connect(lambda v: state.change_settings(seed=v))
        self.timeline.valueChanged.connect(state.look_at)
        events = state.setting_events  # each widget hears its own setting: an alpha tick re-sets no other
        events.alpha.connect(lambda alpha, _: self.alpha.set_alpha(alpha))
        events.alpha.connect(lambda *_: self._refuse_alpha(""))
        self.alpha.refused.connect(self._refuse_alpha)
        self.alpha.field.textEdited.connect(lambda _: self._alpha_refused and self._refuse_alpha(""))
        for name in ("budget", "speed", *NEW_RUN):
            events[name].connect(lambda *_: self._show_run(state.settings))

    def show_settings(self, s) -> None:
        """Show a whole RunSettings without sending any intent back."""
        self.alpha.set_alpha(s.alpha)
        self._show_run(s)

    def _show_run(self, s) -> None:
        if self.speed.findData(s.speed) < 0:  # a speed none of the presets has
            self.speed.addItem(speed_label(s.speed), s.speed)
        for widget, setter in ((self.budget, lambda: self.budget.setValue(s.budget)),
                               (self.speed, lambda: self.speed.setCurrentIndex(self.speed.findData(s.speed))),
                               (self.init, lambda: self.init.setCurrentIndex(self.init.findData(s.init))),
                               (self.seed, lambda: self.seed.setValue(s.seed)),
                               (self.loss, lambda: self.loss.setCurrentIndex(self.loss.findData(s.loss)))):
            widget.blockSignals(True)
            setter()
            widget.blockSignals(False)

    def setting_widgets(self, key: str) -> list[QWidget]:
        """The control of one setting (a RunSettings field, or presets, train, step, reset, timeline) and its
        label: what a lesson locks or hides. KeyError for a key with no control."""
        if key in self.optimizer.rows:
            return list(self.optimizer.rows[key])
        if key in self.model.rows:
            return self.model.setting_widgets(key)
        if key == "step":
            return list(self.step_buttons)
        own = {"train": self.train_button, "reset": self.reset_button, "timeline": self.timeline,
               "alpha": self.alpha, "presets": self.presets, "budget": self.budget, "speed": self.speed,
               "init": self.init, "seed": self.seed, "loss": self.loss}
        widget = own[key]
        label = self.form.labelForField(widget)
        extra = {"alpha": [self.edge_label], "timeline": [self.timeline_label, self.replay_button]}.get(key, [])
        return [widget] + ([label] if label is not None else []) + extra

    def _replay_button(self) -> QToolButton:
        """Replay, with its pace chosen from the arrow beside it (watchable unless the learner chose another)."""
        button = QToolButton()
        button.setPopupMode(QToolButton.ToolButtonPopupMode.MenuButtonPopup)
        menu, group = QMenu(button), QActionGroup(button)
        for label, speed in REPLAY_SPEEDS:
            a = menu.addAction(f"Replay at {label[0].lower()}{label[1:]}")
            a.setCheckable(True)
            a.setChecked(speed == self.replay_speed)
            a.triggered.connect(lambda _=False, speed=speed: self._replay_speed_chosen(speed))
            group.addAction(a)
        button.setMenu(menu)
        button.clicked.connect(self.replayRequested)
        return button

    def _replay_speed_chosen(self, speed) -> None:
        self.replay_speed = speed
        self.replaySpeedChosen.emit(speed)
        self.show_replaying(False)

    def show_replaying(self, playing: bool) -> None:
        """The button stops a replay while one plays; else it replays at the pace its tooltip names."""
        button = self.replay_button
        button.setText("Stop" if playing else "Replay")
        button.setAccessibleName("Stop the replay" if playing else "Replay the run")
        if self._no_past and not playing:
            button.setToolTip(f"Nothing to replay. {self.timeline.toolTip()}")
            return
        button.setToolTip("Stop the replay where it is (P, Space or Esc)." if playing else
                          "Play the run again from the earliest iteration it can show, every panel following (P). "
                          "Pace: "
                          f"{speed_label(self.replay_speed)}; the arrow chooses another. Space, Esc or this button "
                          "stops it; Train stops it and goes on training from the end.")

    def _preset(self, index: int) -> None:
        name = self.presets.itemData(index)
        self.presets.setCurrentIndex(0)  # a menu of actions: it names no preset once α moves on
        if name:
            self.presetChosen.emit(name)

    def show_timeline(self, view_iteration: int, latest: int, note: str | None = None, earliest: int = 0) -> None:
        """``note``: why the iterations before ``earliest``, the earliest that can be shown again, cannot be (the run
        says). With nothing to show but the run's end, the timeline and Replay are disabled and say why."""
        if (latest <= earliest and earliest > 0) != self._no_past:
            self._no_past = not self._no_past
            for widget in (self.timeline, self.replay_button):
                widget.setEnabled(not self._no_past)
            self.timeline.setToolTip(f"{note[0].upper()}{note[1:]}." if self._no_past and note else TIMELINE_TIP)
            self.show_replaying(False)
        self.timeline.blockSignals(True)
        self.timeline.setRange(0, latest)  # the handle sits at the iteration shown, also right after an edit
        self.timeline.setValue(view_iteration)
        self.timeline.blockSignals(False)
        past = f" (looking back; {latest} done)" if view_iteration < latest else ""
        self.timeline_label.setText(f"iteration {view_iteration}{past}" + (f"; {note}" if note else ""))

    def show_edge(self, edge, alpha: float) -> None:
        """``edge``: a core.stability.Edge, or None before it is known; ``alpha``: the α in force where it was
        measured (at the iteration shown), which it is weighed against, never the slider's latest tick."""
        self.alpha.set_edge(None if edge is None else edge.alpha, alpha)
        network = edge is not None and edge.reason == "network"
        self.edge_label.setToolTip(NETWORK_EDGE_TIP if network else self._edge_tip)
        if edge is None or edge.reason == "too large":
            text = ""
        elif edge.alpha is None:
            text = edge.why or EDGE_REASONS[edge.reason]
        elif edge.measured_at is not None:  # a network's: measured, not a formula's
            text = (f"edge of stability {edge.formula} ≈ {edge.alpha:.3g}, λmax measured at iteration "
                    f"{edge.measured_at} (α = {alpha:g} is {'above' if alpha > edge.alpha else 'below'} it)")
        else:
            state = ("above it: along the steepest direction here, a step lands farther across the valley than "
                     "it started" if alpha > edge.alpha else "below it")
            text = f"edge of stability {edge.formula} ≈ {edge.alpha:.3g} at this point (α = {alpha:g} is {state})"
        self._edge_text = text
        self.edge_label.setText(f"Not changed: {self._alpha_refused}. {text}" if self._alpha_refused else text)

    def _refuse_alpha(self, reason: str) -> None:
        """A typed α that is not valid: the field shows α again, and the line under it says why until α changes
        or the field is typed in again."""
        self._alpha_refused = reason
        self.edge_label.setText(f"Not changed: {reason}. {self._edge_text}" if reason else self._edge_text)

    def show_running(self, running: bool) -> None:
        self.train_button.setText("Pause" if running else "Train")
        for b in self.step_buttons:
            b.setEnabled(not running)
