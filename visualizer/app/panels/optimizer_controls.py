"""The course's second part in the learner's hands: optimizer, batch size, L2 and α decay.

Shown from the state's RunSettings and changed only through ``state.change_settings``; the list of
optimizers, the rows each one shows (its hyperparameters) and their tooltips come from the registry
(core/optim/registry.py): a field that does not apply to the optimizer chosen is hidden.
"""

from __future__ import annotations

from PySide6.QtGui import QDoubleValidator, QIntValidator
from PySide6.QtWidgets import QComboBox, QDoubleSpinBox, QFormLayout, QGroupBox, QLabel, QLineEdit

from visualizer.app.common.fitting import WrappedLabel
from visualizer.app.panels.typed_settings import TypedSettings
from visualizer.core.optim.registry import HYPERS, SPECS, users
from visualizer.core.optim.spec import join
from visualizer.model.constraints import RUN
from visualizer.model.state import OPTIMIZER_FIELDS

OPTIMIZERS = tuple((spec.label, key) for key, spec in SPECS.items())
#: The batch sizes offered, of those up to m (a larger one is refused, as on the command line and in lessons).
BATCH_CHOICES = (1, 16, 32, 64, 128, 256)
#: Which optimizer uses which of the extra fields: the constraint table's ``applies`` (from the registry).
USES = {key: c.applies for key, c in RUN.items() if c.applies}
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


def _spin(key: str) -> QDoubleSpinBox:
    """A spin box over the setting's valid range (a step inside an open bound), with the table's step."""
    c = RUN[key]
    box = QDoubleSpinBox()
    box.setDecimals(c.decimals)  # first: the range is rounded to the decimals
    box.setRange(*c.widget_range())
    box.setSingleStep(c.step)
    box.setKeyboardTracking(False)  # one change per typed number, not one per keystroke
    return box


class OptimizerControls(TypedSettings, QGroupBox):
    """A form of the optimizer settings; ``rows[key]`` is (label, field) for each setting it shows."""

    def __init__(self, state):
        super().__init__("Optimizer (course 2)")
        self.state = state
        self.optimizer = QComboBox()
        for text, kind in OPTIMIZERS:
            self.optimizer.addItem(text, kind)
        self.batch = QComboBox()
        self.batch.setEditable(True)
        self.batch.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.batch.lineEdit().setValidator(_BatchValidator())
        self.beta, self.beta1, self.beta2 = _spin("beta"), _spin("beta1"), _spin("beta2")
        self.epsilon = QLineEdit()
        validator = QDoubleValidator(*RUN["epsilon"].widget_range(), RUN["epsilon"].decimals)
        validator.setNotation(QDoubleValidator.Notation.ScientificNotation)
        self.epsilon.setValidator(validator)
        self.lam, self.decay = _spin("lam"), _spin("decay")
        self.decay_kind = QComboBox()
        self.decay_kind.addItem("α₀ / (1 + decay·epoch)", "inverse")
        self.decay_kind.addItem("α₀·(1 − decay)^epoch", "exponential")
        self.note = WrappedLabel()
        self.note.setAccessibleName("Optimizer note")
        form = self.form = QFormLayout(self)
        self.rows = {}
        for key, text, widget in (("optimizer", "Optimi&zer", self.optimizer),
                                  ("batch_size", "&Batch size", self.batch),
                                  *((name, HYPERS[name].label, getattr(self, name)) for name in HYPERS),
                                  ("lam", "L2 &λ", self.lam), ("decay", "α deca&y", self.decay),
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
        self._offer_batches()
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
        state.events.data.connect(lambda *_: (self._offer_batches(), self.show_settings(state.settings)))

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

    def _offer_batches(self) -> None:
        """All m and the sizes up to m of this data set."""
        m = self.state.data.train.m
        self.batch.blockSignals(True)
        self.batch.clear()
        self.batch.addItems(["all m", *(str(b) for b in BATCH_CHOICES if b <= m)])
        self.batch.blockSignals(False)

    def _explain(self, s) -> None:
        m = self.state.data.train.m
        batch = m if s.batch_size is None else s.batch_size
        dropped = self.state.batch_dropped
        if batch >= m:
            text = f"Each step uses all m = {m} examples." + (
                f" The batch size {dropped} is more than this data set's m, so it is now all m."
                if dropped is not None else "")
        else:
            per_epoch = -(-m // batch)
            text = (f"Each step uses {batch} of the m = {m} examples: {per_epoch} steps make one epoch. "
                    "The faint cost curve is each batch's J; the solid one is the full J.")
        self._noted(text)

    def _batch_entered(self) -> None:
        self._enter("batch_size", self.batch.currentText(), empty=("", "all m"))

    def _epsilon_entered(self) -> None:
        self._enter("epsilon", self.epsilon.text())


def _batch_text(batch_size: int | None) -> str:
    return "all m" if batch_size is None else str(batch_size)


class _BatchValidator(QIntValidator):
    """Whole numbers in the setting's range, or the words "all m" (which the list offers); B <= m is the
    state's to check, which says why it refuses."""

    def __init__(self):
        super().__init__(*RUN["batch_size"].widget_range())

    def validate(self, text, pos):
        if "all m".startswith(text.strip()) and text.strip():
            return (QIntValidator.State.Acceptable if text.strip() == "all m" else QIntValidator.State.Intermediate,
                    text, pos)
        return super().validate(text, pos)

