"""Questions as plain data, shared by the GIFT reader and writer and by grading.

Pure: no Flask, no database. Weights are percentages of the question's full mark, as in
Moodle: 100 is fully right, 50 half, negative weights take marks away.
"""

from dataclasses import dataclass, field

KINDS = (
    "single_choice",
    "multiple_choice",
    "true_false",
    "numeric",
    "short_text",
    "matching",
    "essay",
)
TEXT_FORMATS = ("moodle", "html", "markdown", "plain")


@dataclass
class Answer:
    """One answer of a question; which fields count depends on the kind:

    - single_choice, multiple_choice: text, weight, feedback;
    - short_text: text (may hold `*` wildcards), weight, feedback;
    - numeric: value with tolerance (value ± tolerance), or the range low..high; weight,
      feedback;
    - matching: text (the left side, the question) and match (the right side);
    - true_false and essay have no answers (see Question.correct).
    """

    text: str = ""
    weight: float = 0.0
    feedback: str = ""
    match: str = ""
    value: float | None = None
    tolerance: float = 0.0
    low: float | None = None
    high: float | None = None


@dataclass
class Question:
    kind: str
    text: str
    title: str = ""
    text_format: str = "moodle"
    general_feedback: str = ""
    answers: list = field(default_factory=list)  # [Answer]
    # true_false: the right answer, and the feedback for answering true / answering false.
    correct: bool | None = None
    feedback_true: str = ""
    feedback_false: str = ""
    category: str = ""  # "Datenschutz/Grundlagen": the $CATEGORY path it was read under
    line: int = 0  # physical line of the file where the question starts (1 = first)
