"""Models of assessments: question banks with nested categories and their questions,
quizzes and attempts, course feedback surveys."""

from app.accounts.models import utcnow
from app.extensions import db

QUESTION_KINDS = (
    "single_choice",
    "multiple_choice",
    "true_false",
    "numeric",
    "short_text",
    "matching",
    "essay",
)


class QuestionBank(db.Model):
    __tablename__ = "question_banks"

    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(200), nullable=False, unique=True)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)

    categories = db.relationship(
        "QuestionCategory", cascade="all, delete-orphan", back_populates="bank"
    )


class QuestionCategory(db.Model):
    """A category of a bank; categories nest (GIFT's $CATEGORY: a/b/c)."""

    __tablename__ = "question_categories"
    __table_args__ = (db.UniqueConstraint("bank_id", "path"),)

    id = db.Column(db.Integer, primary_key=True)
    bank_id = db.Column(
        db.Integer, db.ForeignKey("question_banks.id", ondelete="CASCADE"), nullable=False
    )
    parent_id = db.Column(
        db.Integer, db.ForeignKey("question_categories.id", ondelete="CASCADE"), index=True
    )
    name = db.Column(db.String(200), nullable=False)
    path = db.Column(db.String(1000), nullable=False)  # "Datenschutz/Grundlagen"; "" = top

    bank = db.relationship(QuestionBank, back_populates="categories")
    parent = db.relationship("QuestionCategory", remote_side=[id])
    questions = db.relationship("Question", order_by="Question.position", back_populates="category")


class Question(db.Model):
    """A question of a category. Answers are stored with it as JSON (the fields of
    app.assessments.questions.Answer): they belong to the question and change with it."""

    __tablename__ = "questions"
    __table_args__ = (
        db.CheckConstraint(
            "kind IN ('single_choice', 'multiple_choice', 'true_false', 'numeric', "
            "'short_text', 'matching', 'essay')",
            name="known_kind",
        ),
    )

    id = db.Column(db.Integer, primary_key=True)
    category_id = db.Column(
        db.Integer,
        db.ForeignKey("question_categories.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    )
    position = db.Column(db.Integer, nullable=False, default=0)
    kind = db.Column(db.String(20), nullable=False)
    title = db.Column(db.String(300), nullable=False, default="")
    text = db.Column(db.Text, nullable=False)
    text_format = db.Column(db.String(10), nullable=False, default="moodle")
    general_feedback = db.Column(db.Text, nullable=False, default="")
    answers = db.Column(db.JSON, nullable=False, default=list)
    correct = db.Column(db.Boolean)  # true_false
    feedback_true = db.Column(db.Text, nullable=False, default="")
    feedback_false = db.Column(db.Text, nullable=False, default="")
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)

    category = db.relationship(QuestionCategory, back_populates="questions")
    competences = db.relationship("QuestionCompetence", cascade="all, delete-orphan")


class QuestionCompetence(db.Model):
    """The question tests this competence."""

    __tablename__ = "question_competences"
    __table_args__ = (db.UniqueConstraint("question_id", "competence_id"),)

    id = db.Column(db.Integer, primary_key=True)
    question_id = db.Column(
        db.Integer, db.ForeignKey("questions.id", ondelete="CASCADE"), nullable=False, index=True
    )
    competence_id = db.Column(
        db.Integer, db.ForeignKey("competences.id"), nullable=False, index=True
    )


REVIEW_OPTIONS = ("never", "score", "feedback", "answers")


class Quiz(db.Model):
    """A quiz: the final quiz of a course, or one on its own. Passing it gives evidence of the
    competences it tests, at the level set per competence."""

    __tablename__ = "quizzes"
    __table_args__ = (
        db.CheckConstraint("pass_mark BETWEEN 0 AND 100", name="pass_mark_percent"),
        db.CheckConstraint("attempts_allowed >= 0", name="attempts_not_negative"),
        db.CheckConstraint(
            "review IN ('never', 'score', 'feedback', 'answers')", name="known_review"
        ),
        db.CheckConstraint("status IN ('draft', 'published')", name="known_status"),
    )

    id = db.Column(db.Integer, primary_key=True)
    title = db.Column(db.String(200), nullable=False)
    description = db.Column(db.Text, nullable=False, default="")
    course_id = db.Column(
        db.Integer, db.ForeignKey("courses.id", ondelete="SET NULL"), unique=True
    )  # the course whose final quiz this is
    status = db.Column(db.String(20), nullable=False, default="draft")
    pass_mark = db.Column(db.Integer, nullable=False, default=60)  # percent
    attempts_allowed = db.Column(db.Integer, nullable=False, default=0)  # 0: no limit
    time_limit_minutes = db.Column(db.Integer)  # None: no limit
    shuffle_questions = db.Column(db.Boolean, nullable=False, default=False)
    shuffle_answers = db.Column(db.Boolean, nullable=False, default=True)
    # After submitting, the learner sees: nothing, the score, + feedback, + right answers.
    review = db.Column(db.String(20), nullable=False, default="feedback")
    # Evidence per competence from the score on that competence's questions, not the total.
    evidence_per_competence = db.Column(db.Boolean, nullable=False, default=False)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)

    slots = db.relationship("QuizSlot", order_by="QuizSlot.position", cascade="all, delete-orphan")
    competences = db.relationship("QuizCompetence", cascade="all, delete-orphan")


class QuizSlot(db.Model):
    """One place in a quiz: a fixed question, or `draw` questions at random from a category."""

    __tablename__ = "quiz_slots"
    __table_args__ = (
        db.CheckConstraint(
            "(question_id IS NOT NULL AND category_id IS NULL)"
            " OR (question_id IS NULL AND category_id IS NOT NULL)",
            name="question_or_category",
        ),
        db.CheckConstraint("mark > 0", name="positive_mark"),
        db.CheckConstraint("draw >= 1", name="positive_draw"),
    )

    id = db.Column(db.Integer, primary_key=True)
    quiz_id = db.Column(
        db.Integer, db.ForeignKey("quizzes.id", ondelete="CASCADE"), nullable=False, index=True
    )
    position = db.Column(db.Integer, nullable=False)
    question_id = db.Column(db.Integer, db.ForeignKey("questions.id"), index=True)
    category_id = db.Column(db.Integer, db.ForeignKey("question_categories.id"), index=True)
    draw = db.Column(db.Integer, nullable=False, default=1)
    mark = db.Column(db.Float, nullable=False, default=1.0)  # points per question

    question = db.relationship(Question)
    category = db.relationship(QuestionCategory)


class QuizCompetence(db.Model):
    """Passing the quiz gives evidence of this competence at this level."""

    __tablename__ = "quiz_competences"
    __table_args__ = (
        db.UniqueConstraint("quiz_id", "competence_id"),
        db.CheckConstraint("level >= 1", name="positive_level"),
    )

    id = db.Column(db.Integer, primary_key=True)
    quiz_id = db.Column(
        db.Integer, db.ForeignKey("quizzes.id", ondelete="CASCADE"), nullable=False, index=True
    )
    competence_id = db.Column(
        db.Integer, db.ForeignKey("competences.id"), nullable=False, index=True
    )
    level = db.Column(db.Integer, nullable=False)

    competence = db.relationship("Competence", lazy="joined")


ATTEMPT_STATES = ("in_progress", "needs_grading", "finished")


class Attempt(db.Model):
    """A person's attempt at a quiz. Questions, their order and the order of their answers
    are fixed when it starts (`layout`); it is graded exactly once, when submitted (or when
    its time has run out and it is next touched)."""

    __tablename__ = "attempts"
    __table_args__ = (
        db.UniqueConstraint("quiz_id", "user_id", "number"),
        db.CheckConstraint(
            "state IN ('in_progress', 'needs_grading', 'finished')", name="known_state"
        ),
    )

    id = db.Column(db.Integer, primary_key=True)
    quiz_id = db.Column(
        db.Integer, db.ForeignKey("quizzes.id", ondelete="CASCADE"), nullable=False, index=True
    )
    user_id = db.Column(
        db.Integer, db.ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True
    )
    number = db.Column(db.Integer, nullable=False)  # 1 = the person's first attempt
    state = db.Column(db.String(20), nullable=False, default="in_progress")
    started_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    deadline = db.Column(db.DateTime)  # answers after it do not count
    submitted_at = db.Column(db.DateTime)
    # [{"slot": n, "question_id": id, "mark": points, "order": [answer indexes as shown]}]
    layout = db.Column(db.JSON, nullable=False)
    points = db.Column(db.Float)
    max_points = db.Column(db.Float)
    percent = db.Column(db.Float)
    passed = db.Column(db.Boolean)

    quiz = db.relationship(Quiz)
    answers = db.relationship(
        "AttemptAnswer",
        order_by="AttemptAnswer.slot",
        cascade="all, delete-orphan",
        back_populates="attempt",
    )
    user = db.relationship("User")


class AttemptAnswer(db.Model):
    """The response to one question of an attempt, saved as the learner goes; graded when
    the attempt is submitted (essays by a trainer, with a justification)."""

    __tablename__ = "attempt_answers"
    __table_args__ = (db.UniqueConstraint("attempt_id", "slot"),)

    id = db.Column(db.Integer, primary_key=True)
    attempt_id = db.Column(
        db.Integer, db.ForeignKey("attempts.id", ondelete="CASCADE"), nullable=False
    )
    slot = db.Column(db.Integer, nullable=False)
    question_id = db.Column(db.Integer, db.ForeignKey("questions.id"), nullable=False, index=True)
    response = db.Column(db.JSON)
    saved_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    fraction = db.Column(db.Float)
    grade_state = db.Column(db.String(20))  # correct, partial, wrong, empty, needs_grading
    feedback = db.Column(db.JSON)
    graded_by_id = db.Column(db.Integer, db.ForeignKey("users.id", ondelete="SET NULL"))
    justification = db.Column(db.Text, nullable=False, default="")

    question = db.relationship(Question)
    attempt = db.relationship(Attempt, back_populates="answers")

    @property
    def mark(self):
        """The points this answer's question is worth in its attempt."""
        return next(e["mark"] for e in self.attempt.layout if e["slot"] == self.slot)


class Survey(db.Model):
    """A course feedback survey: Likert items and free texts, answered anonymously."""

    __tablename__ = "surveys"

    id = db.Column(db.Integer, primary_key=True)
    course_id = db.Column(
        db.Integer, db.ForeignKey("courses.id", ondelete="CASCADE"), nullable=False, index=True
    )
    title = db.Column(db.String(200), nullable=False)
    active = db.Column(db.Boolean, nullable=False, default=True)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)

    items = db.relationship(
        "SurveyItem", order_by="SurveyItem.position", cascade="all, delete-orphan"
    )


class SurveyItem(db.Model):
    __tablename__ = "survey_items"
    __table_args__ = (db.CheckConstraint("kind IN ('likert', 'text')", name="known_kind"),)

    id = db.Column(db.Integer, primary_key=True)
    survey_id = db.Column(
        db.Integer, db.ForeignKey("surveys.id", ondelete="CASCADE"), nullable=False, index=True
    )
    position = db.Column(db.Integer, nullable=False)
    kind = db.Column(db.String(10), nullable=False)  # likert: 1 (disagree) .. 5 (agree)
    text = db.Column(db.String(500), nullable=False)


class SurveyParticipation(db.Model):
    """That a person has answered (once); kept apart from the answers, which name nobody."""

    __tablename__ = "survey_participations"
    __table_args__ = (db.UniqueConstraint("survey_id", "user_id"),)

    id = db.Column(db.Integer, primary_key=True)
    survey_id = db.Column(
        db.Integer, db.ForeignKey("surveys.id", ondelete="CASCADE"), nullable=False
    )
    user_id = db.Column(
        db.Integer, db.ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True
    )


class SurveyResponse(db.Model):
    """One anonymous set of answers; its time is kept to the day only."""

    __tablename__ = "survey_responses"

    id = db.Column(db.Integer, primary_key=True)
    survey_id = db.Column(
        db.Integer, db.ForeignKey("surveys.id", ondelete="CASCADE"), nullable=False, index=True
    )
    day = db.Column(db.Date, nullable=False)

    answers = db.relationship("SurveyAnswer", cascade="all, delete-orphan")


class SurveyAnswer(db.Model):
    __tablename__ = "survey_answers"
    __table_args__ = (
        db.CheckConstraint("value IS NULL OR value BETWEEN 1 AND 5", name="likert_range"),
    )

    id = db.Column(db.Integer, primary_key=True)
    response_id = db.Column(
        db.Integer,
        db.ForeignKey("survey_responses.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    )
    item_id = db.Column(
        db.Integer, db.ForeignKey("survey_items.id", ondelete="CASCADE"), nullable=False, index=True
    )
    value = db.Column(db.Integer)
    text = db.Column(db.Text, nullable=False, default="")
