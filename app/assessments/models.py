"""Models of assessments: question banks with nested categories and their questions.
(Quizzes, attempts and surveys join them in later steps.)"""

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
