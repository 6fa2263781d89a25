"""Errors raised by domain rules; services translate them into problem responses."""


class DomainError(Exception):
    """A business rule refused the request."""


class IllegalTransition(DomainError):
    def __init__(self, action: str, status: str):
        super().__init__(f"cannot {action.replace('_', ' ')} an order that is {status}")
        self.action = action
        self.status = status
