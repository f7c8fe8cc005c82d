"""Building a course's outline (trainer): modules, lessons and their links."""

from urllib.parse import urlsplit

from flask_babel import gettext as _

from app.accounts import audit
from app.courses.models import CourseModule, Lesson, LessonLink
from app.courses.services import touch
from app.errors import DomainError
from app.extensions import db

# ---- modules and lessons


def _title(value, where="title"):
    value = (value or "").strip()
    if not value:
        raise DomainError(_("The title is missing."), where=where)
    if len(value) > 200:
        raise DomainError(_("The title is longer than 200 characters."), where=where)
    return value


def add_module(actor, course, title):
    title = _title(title)
    module = CourseModule(course=course, title=title, position=len(course.modules))
    db.session.add(module)
    touch(course)
    audit.record(actor, "course.module_add", course, {"title": title})
    db.session.commit()
    return module


def rename_module(actor, module, title):
    module.title = _title(title)
    touch(module.course)
    db.session.commit()


def _swap(items, item, direction):
    index = items.index(item)
    other = index + direction
    if 0 <= other < len(items):
        items[index].position, items[other].position = other, index
        return True
    return False


def move_module(actor, module, direction):
    modules = sorted(module.course.modules, key=lambda m: m.position)
    for position, each in enumerate(modules):
        each.position = position
    if _swap(modules, module, direction):
        touch(module.course)
        db.session.commit()


def delete_module(actor, module):
    """A module can go when it has no lessons left (they are removed one by one)."""
    if module.lessons:
        raise DomainError(_("Remove the lessons of this module first."))
    course = module.course
    db.session.delete(module)
    db.session.flush()
    for position, each in enumerate(sorted(course.modules, key=lambda m: m.position)):
        each.position = position
    touch(course)
    audit.record(actor, "course.module_delete", course, {"title": module.title})
    db.session.commit()


def _check_links(links):
    """links: [(title, url)]; blank rows are dropped. Only http and https links."""
    kept = []
    for number, (title, url) in enumerate(links, start=1):
        title, url = (title or "").strip(), (url or "").strip()
        if not title and not url:
            continue
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise DomainError(
                _("Link %(n)d: only http and https addresses are allowed.", n=number),
                where="links",
            )
        if len(url) > 2000:
            raise DomainError(_("Link %(n)d: the address is too long.", n=number), where="links")
        kept.append(((title or url)[:200], url))
    return kept


def add_lesson(actor, module, title, body="", links=()):
    title = _title(title)
    kept = _check_links(links)
    if len(body or "") > 100_000:
        raise DomainError(_("The text is longer than 100,000 characters."), where="body")
    lesson = Lesson(
        module=module,
        course_id=module.course_id,
        title=title,
        body=(body or "").strip(),
        position=len(module.lessons),
    )
    lesson.links = [LessonLink(position=i, title=t, url=u) for i, (t, u) in enumerate(kept)]
    db.session.add(lesson)
    touch(module.course)
    audit.record(actor, "course.lesson_add", module.course, {"title": title})
    db.session.commit()
    return lesson


def update_lesson(actor, lesson, title, body, links, module=None):
    title = _title(title)
    kept = _check_links(links)
    if len(body or "") > 100_000:
        raise DomainError(_("The text is longer than 100,000 characters."), where="body")
    if module is not None and module.course_id != lesson.course_id:
        raise DomainError(_("Please choose a module of this course."), where="module_id")
    lesson.title, lesson.body = title, (body or "").strip()
    lesson.links = [LessonLink(position=i, title=t, url=u) for i, (t, u) in enumerate(kept)]
    if module is not None and module.id != lesson.module_id:
        lesson.module = module
        lesson.position = len(module.lessons)
    touch(lesson.module.course)
    audit.record(actor, "course.lesson_update", lesson.module.course, {"title": title})
    db.session.commit()


def move_lesson(actor, lesson, direction):
    lessons = sorted(lesson.module.lessons, key=lambda each: each.position)
    for position, each in enumerate(lessons):
        each.position = position
    if _swap(lessons, lesson, direction):
        touch(lesson.module.course)
        db.session.commit()


def remove_lesson(actor, lesson):
    """Out of the course for good; progress and the published snapshot keep the row."""
    lesson.removed = True
    module = lesson.module
    rest = [each for each in module.lessons if each.id != lesson.id]
    for position, each in enumerate(sorted(rest, key=lambda each: each.position)):
        each.position = position
    touch(module.course)
    audit.record(actor, "course.lesson_remove", module.course, {"title": lesson.title})
    db.session.commit()
