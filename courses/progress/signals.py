"""The events progress emits; certificates (and later notifications) listen to them.

Both are sent once per completion, after the transaction that recorded it has committed, so a
listener (e.g. one that enqueues a certificate task) never sees a completion that was rolled back.
"""

from django.dispatch import Signal

# Sent with sender=CourseCompletion and keyword arguments: completion, user, course.
course_completed = Signal()

# Sent with sender=PathCompletion and keyword arguments: completion, user, path.
path_completed = Signal()
