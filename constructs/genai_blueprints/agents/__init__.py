"""The guarded Bedrock agent blueprint: agent, action groups, invocation front door.

Public API::

    from genai_blueprints.agents import (
        GuardedAgent, AgentModel, InvocationBounds, OrchestrationPrompt, AgentMonitoring,
        ActionGroupSchema, AgentFunction, FunctionParameter, ParameterType,
    )

    agent = GuardedAgent(
        self, "Agent",
        instruction="You answer questions about order status ...",
        model=AgentModel.inference_profile("us.amazon.nova-lite-v1:0"),
        guardrail=my_guardrail,                       # Default: a new Guardrail
        bounds=InvocationBounds(timeout=cdk.Duration.seconds(60), max_steps=10,
                                max_tool_calls=5, max_session_tokens=50_000),
    )
    orders = agent.add_action_group(
        "order-status", description="Looks up orders", source="order_status_action",
        handler="order_status_action.handler",
        schema=ActionGroupSchema.from_functions([AgentFunction(...)]),
        boundary_statements=[iam.PolicyStatement(...)],
    )
    agent.grant_invoke(caller)        # lambda:InvokeFunction on the front door
    agent.dashboard_widgets()         # the observability protocol

Exports load on first use (PEP 562).
"""

from typing import TYPE_CHECKING

from genai_blueprints._lazy import lazy_exports

if TYPE_CHECKING:  # what type checkers see; at run time each name loads on first access (_EXPORTS)
    from genai_blueprints.agents.action_group import AgentActionGroup as AgentActionGroup
    from genai_blueprints.agents.agent import GuardedAgent as GuardedAgent
    from genai_blueprints.agents.front_door import AgentFrontDoor as AgentFrontDoor
    from genai_blueprints.agents.models import AgentModel as AgentModel
    from genai_blueprints.agents.options import AgentMonitoring as AgentMonitoring
    from genai_blueprints.agents.options import InvocationBounds as InvocationBounds
    from genai_blueprints.agents.options import OrchestrationPrompt as OrchestrationPrompt
    from genai_blueprints.agents.schemas import ActionGroupSchema as ActionGroupSchema
    from genai_blueprints.agents.schemas import AgentFunction as AgentFunction
    from genai_blueprints.agents.schemas import FunctionParameter as FunctionParameter
    from genai_blueprints.agents.schemas import ParameterType as ParameterType

_OPTIONS = "genai_blueprints.agents.options"
_SCHEMAS = "genai_blueprints.agents.schemas"
_EXPORTS = {
    "GuardedAgent": "genai_blueprints.agents.agent",
    "AgentActionGroup": "genai_blueprints.agents.action_group",
    "AgentFrontDoor": "genai_blueprints.agents.front_door",
    "AgentModel": "genai_blueprints.agents.models",
    "AgentMonitoring": _OPTIONS,
    "InvocationBounds": _OPTIONS,
    "OrchestrationPrompt": _OPTIONS,
    "ActionGroupSchema": _SCHEMAS,
    "AgentFunction": _SCHEMAS,
    "FunctionParameter": _SCHEMAS,
    "ParameterType": _SCHEMAS,
}
__all__ = list(_EXPORTS)
if not TYPE_CHECKING:  # hidden from type checkers, so that a misspelt import is an error rather than Any
    __getattr__ = lazy_exports(__name__, _EXPORTS)
