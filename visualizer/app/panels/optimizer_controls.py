"""The course's second part in the learner's hands: optimizer, batch size, L2 and α decay.

Shown from the state's RunSettings and changed only through ``state.change_settings``; the list of
optimizers, the rows each one shows (its hyperparameters) and their tooltips come from the registry
(core/optim/registry.py): a field that does not apply to the optimizer chosen is hidden.
"""

from __future__ import annotations

from PySide6.QtGui import QDoubleValidator, QIntValidator
from PySide6.QtWidgets import QComboBox, QDoubleSpinBox, QFormLayout, QGroupBox, QLabel, QLineEdit

from visualizer.core.optim.registry import HYPERS, SPECS, users
from visualizer.core.optim.spec import join
from visualizer.model.settings import SettingsError, check_batch_size, check_epsilon
from visualizer.model.state import OPTIMIZER_FIELDS

OPTIMIZERS = tuple((spec.label, key) for key, spec in SPECS.items())
BATCH_CHOICES = ("all m", "1", "16", "32", "64", "128", "256")
#: Which optimizer uses which of the extra fields.
USES = {name: tuple(spec.key for spec in users(name)) for name in HYPERS}
TIPS = {
    "optimizer": "How each step uses the gradient g of J_reg on the batch. "
                 + " ".join(f"{spec.label}: {spec.rule}." for spec in SPECS.values()),
    **{name: f"{hyper.meaning}. Used by {join(spec.name for spec in users(name))}." for name, hyper in HYPERS.items()},
    "batch_size": "Examples per step. All m is batch gradient descent (the course's week 2); 1 is stochastic "
                  "gradient descent; 64 is a mini-batch. Each epoch the examples are shuffled (seeded) and cut into "
                  "batches; the last one may be smaller. Type any whole number and press Enter.",
    "lam": "L2 regularization λ: J_reg = J + (λ/2m)·‖w‖², so dw gains (λ/m)·w and large weights cost. "
           "0 is none. b is not regularized.",
    "decay": "Learning-rate decay per epoch: α = α₀ / (1 + decay·epoch), or α₀·(1 − decay)^epoch "
             "(decay 0.05 is the course's α₀·0.95^epoch). 0 keeps α fixed.",
    "decay_kind": "The form of the decay: inverse α₀ / (1 + decay·epoch), or exponential α₀·(1 − decay)^epoch.",
}


def _spin(top: float, step: float, decimals: int) -> QDoubleSpinBox:
    box = QDoubleSpinBox()
    box.setRange(0.0, top)
    box.setSingleStep(step)
    box.setDecimals(decimals)
    box.setKeyboardTracking(False)  # one change per typed number, not one per keystroke
    return box


class OptimizerControls(QGroupBox):
    """A form of the optimizer settings; ``rows[key]`` is (label, field) for each setting it shows."""

    def __init__(self, state):
        super().__init__("Optimizer (course 2)")
        self.state = state
        self.optimizer = QComboBox()
        for text, kind in OPTIMIZERS:
            self.optimizer.addItem(text, kind)
        self.batch = QComboBox()
        self.batch.setEditable(True)
        self.batch.addItems(BATCH_CHOICES)
        self.batch.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.batch.lineEdit().setValidator(_BatchValidator())
        self.beta = _spin(0.999, 0.01, 3)
        self.beta1 = _spin(0.999, 0.01, 3)
        self.beta2 = _spin(0.9999, 0.001, 4)
        self.epsilon = QLineEdit()
        validator = QDoubleValidator(0.0, 1.0, 20)
        validator.setNotation(QDoubleValidator.Notation.ScientificNotation)
        self.epsilon.setValidator(validator)
        self.lam = _spin(1000.0, 0.1, 3)
        self.decay = _spin(10.0, 0.01, 3)
        self.decay_kind = QComboBox()
        self.decay_kind.addItem("α₀ / (1 + decay·epoch)", "inverse")
        self.decay_kind.addItem("α₀·(1 − decay)^epoch", "exponential")
        self.note = QLabel("")
        self.note.setWordWrap(True)
        self.note.setAccessibleName("Optimizer note")
        form = self.form = QFormLayout(self)
        self.rows = {}
        for key, text, widget in (("optimizer", "&Optimizer", self.optimizer),
                                  ("batch_size", "&Batch size", self.batch),
                                  *((name, HYPERS[name].label, getattr(self, name)) for name in HYPERS),
                                  ("lam", "L2 &λ", self.lam), ("decay", "α &decay", self.decay),
                                  ("decay_kind", "Decay form", self.decay_kind)):
            label = QLabel(text)
            label.setBuddy(widget)
            widget.setToolTip(TIPS[key] + (" Type it, then press Enter." if isinstance(widget, QLineEdit) else ""))
            form.addRow(label, widget)
            self.rows[key] = (label, widget)
        form.addRow(self.note)
        self.batch.lineEdit().setAccessibleName("Batch size")  # its own field, read by screen readers
        self.batch.lineEdit().setToolTip(TIPS["batch_size"])
        self.hidden: set[str] = set()  # keys a lesson hides, whatever the optimizer
        self.show_settings(state.settings)
        self.optimizer.currentIndexChanged.connect(lambda _: self._send(optimizer=self.optimizer.currentData()))
        self.batch.activated.connect(lambda _: self._batch_entered())
        self.batch.lineEdit().editingFinished.connect(self._batch_entered)
        for key in ("beta", "beta1", "beta2", "lam", "decay"):
            getattr(self, key).valueChanged.connect(lambda v, key=key: self._send(**{key: v}))
        self.epsilon.editingFinished.connect(self._epsilon_entered)
        self.decay_kind.currentIndexChanged.connect(lambda _: self._send(decay_kind=self.decay_kind.currentData()))
        for name in OPTIMIZER_FIELDS:  # its own fields only: an alpha tick re-sets none of its widgets
            state.setting_events[name].connect(lambda *_: self.show_settings(state.settings))
        state.events.data.connect(lambda *_: self._explain(state.settings))

    def show_settings(self, s) -> None:
        """Show a whole RunSettings without sending any intent back."""
        widgets = (self.optimizer, self.batch, self.beta, self.beta1, self.beta2, self.epsilon, self.lam,
                   self.decay, self.decay_kind)
        for w in widgets:
            w.blockSignals(True)
        self.optimizer.setCurrentIndex(self.optimizer.findData(s.optimizer))
        self.batch.setCurrentText(_batch_text(s.batch_size))
        self.batch.lineEdit().blockSignals(True)
        self.batch.lineEdit().setText(_batch_text(s.batch_size))
        self.batch.lineEdit().blockSignals(False)
        for key in ("beta", "beta1", "beta2", "lam", "decay"):
            getattr(self, key).setValue(getattr(s, key))
        self.epsilon.setText(f"{s.epsilon:g}")
        self.decay_kind.setCurrentIndex(self.decay_kind.findData(s.decay_kind))
        for w in widgets:
            w.blockSignals(False)
        for key, kinds in USES.items():
            self.form.setRowVisible(self.rows[key][1], s.optimizer in kinds and key not in self.hidden)
        self.form.setRowVisible(self.decay_kind, s.decay > 0 and "decay_kind" not in self.hidden)
        self._explain(s)

    def set_hidden(self, keys) -> None:
        """Keys a lesson hides (rows that apply to the optimizer come back when the set is emptied)."""
        self.hidden = set(keys)
        for key, (_label, widget) in self.rows.items():
            if key not in USES and key != "decay_kind":
                self.form.setRowVisible(widget, key not in self.hidden)
        self.show_settings(self.state.settings)

    def _explain(self, s) -> None:
        m = self.state.data.train.m
        batch = m if s.batch_size is None else min(s.batch_size, m)
        if batch >= m:
            text = f"Each step uses all m = {m} examples." + (
                f" (A batch of {s.batch_size} is more than m: every batch is all of them.)"
                if s.batch_size is not None and s.batch_size > m else "")
        else:
            per_epoch = -(-m // batch)
            text = (f"Each step uses {batch} of the m = {m} examples: {per_epoch} steps make one epoch. "
                    "The faint cost curve is each batch's J; the solid one is the full J.")
        self.note.setText(text)

    def _send(self, **changes) -> None:
        try:
            self.state.change_settings(**changes)
        except SettingsError:
            self.show_settings(self.state.settings)

    def _batch_entered(self) -> None:
        text = self.batch.currentText().strip()
        try:
            value = None if text in ("", "all m") else check_batch_size(text)
        except ValueError:
            self.show_settings(self.state.settings)
            return
        if value != self.state.settings.batch_size:
            self._send(batch_size=value)

    def _epsilon_entered(self) -> None:
        try:
            value = check_epsilon(self.epsilon.text())
        except ValueError:
            self.show_settings(self.state.settings)
            return
        if value != self.state.settings.epsilon:
            self._send(epsilon=value)


def _batch_text(batch_size: int | None) -> str:
    return "all m" if batch_size is None else str(batch_size)


class _BatchValidator(QIntValidator):
    """Whole numbers from 1, or the words "all m" (which the list offers)."""

    def __init__(self):
        super().__init__(1, 10**9)

    def validate(self, text, pos):
        if "all m".startswith(text.strip()) and text.strip():
            return (QIntValidator.State.Acceptable if text.strip() == "all m" else QIntValidator.State.Intermediate,
                    text, pos)
        return super().validate(text, pos)

