"""How an operation written once becomes a method of both clients.

A resource group (``client.contacts``, ...) is a :class:`Group` over a sender: the async
client's groups are ``Group[AsyncSender]``, the sync client's ``Group[SyncSender]``. Its methods
are descriptors wrapping a describing function (its parameters are the method's): on an async
group the method returns an awaitable (or an async iterator), on a sync group the value itself
(or an iterator). mypy sees both signatures exactly.

- :class:`Operation`: one API operation (a :class:`Call`, or a :data:`Flow` of a few);
- :class:`Pages`: every item of a paged list, fetching pages as the iteration goes;
- :class:`Events`: a server-sent event stream, one parsed event at a time.

Each descriptor knows the ``operation_id`` it sends (the coverage test maps them to the
services' OpenAPI documents).
"""

from __future__ import annotations

import functools
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from typing import TYPE_CHECKING, Any, Generic, ParamSpec, Self, TypeVar, cast, overload

from contacts_client.call import Step
from contacts_client.models.base import Page
from contacts_client.streams import EventStream

if TYPE_CHECKING:
    from contacts_client.async_sender import AsyncSender
    from contacts_client.sync_sender import SyncSender

P = ParamSpec("P")
T = TypeVar("T")
D = TypeVar("D")  # what a describing function returns
S = TypeVar("S", "AsyncSender", "SyncSender")


class Group(Generic[S]):
    """The methods of one service (or one part of it), sent by ``sender``."""

    _sender: S

    def __init__(self, sender: S) -> None:
        self._sender = sender


class _Described(Generic[P, T]):
    """A descriptor around a describing function, with its name, docstring and operation id."""

    def __init__(self, describe: Callable[P, T], operation_id: str | None = None) -> None:
        self.describe = describe
        self.operation_id = operation_id or describe.__name__
        functools.update_wrapper(self, describe)  # type: ignore[arg-type]

    def _method(self, group: Group[Any], run: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(self.describe)
        def method(*args: Any, **kwargs: Any) -> Any:
            return run(group._sender, *args, **kwargs)

        return method


class Operation(_Described[P, Step[T]]):
    @overload
    def __get__(self, group: None, owner: type) -> Self: ...
    @overload
    def __get__(self, group: Group[AsyncSender], owner: type) -> Callable[P, Awaitable[T]]: ...
    @overload
    def __get__(self, group: Group[SyncSender], owner: type) -> Callable[P, T]: ...
    def __get__(self, group: Group[Any] | None, owner: type) -> Any:
        if group is None:
            return self
        return self._method(group, lambda sender, *a, **k: sender.run(self.describe(*a, **k)))


class _Iterating(_Described[P, D], Generic[P, D, T]):
    """A method that returns an iterator of ``T`` (async on an async group)."""

    @overload
    def __get__(self, group: None, owner: type) -> Self: ...
    @overload
    def __get__(self, group: Group[AsyncSender], owner: type) -> Callable[P, AsyncIterator[T]]: ...
    @overload
    def __get__(self, group: Group[SyncSender], owner: type) -> Callable[P, Iterator[T]]: ...
    def __get__(self, group: Group[Any] | None, owner: type) -> Any:
        if group is None:
            return self
        return self._method(group, self._iterate)

    def _iterate(self, sender: Any, *args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError


class Pages(_Iterating[P, Step[Page[T]], T]):
    """Every item of a list, page after page; a ``cursor`` given is where it starts."""

    def _iterate(self, sender: Any, *args: Any, **kwargs: Any) -> Any:
        start = kwargs.pop("cursor", None)
        describe = cast(Callable[..., Step[Page[T]]], self.describe)
        return sender.items(lambda cursor: describe(*args, **kwargs, cursor=cursor), start)


class Events(_Iterating[P, EventStream[T], T]):
    """The events of a server-sent event stream, as they come."""

    def _iterate(self, sender: Any, *args: Any, **kwargs: Any) -> Any:
        return sender.events(self.describe(*args, **kwargs))


def operation(describe: Callable[P, Step[T]]) -> Operation[P, T]:
    """The method sending ``describe``'s call; its operation id is the function's name."""
    return Operation(describe)


def pages(page: Operation[P, Page[T]]) -> Pages[P, T]:
    """The method iterating over every item of the list the operation ``page`` reads a page
    of (its ``cursor`` parameter is where the iteration starts)."""
    return Pages(page.describe)


def events(describe: Callable[P, EventStream[T]]) -> Events[P, T]:
    """The method iterating over the events of the stream ``describe`` opens."""
    return Events(describe)


def operation_ids(group: type[Group[Any]]) -> dict[str, str]:
    """Each method of ``group`` and the operation id it sends (aliases included)."""
    return {
        name: member.operation_id
        for name, member in vars(group).items()
        if isinstance(member, _Described)
    }
