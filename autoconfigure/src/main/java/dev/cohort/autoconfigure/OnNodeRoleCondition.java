package dev.cohort.autoconfigure;

import dev.cohort.cluster.NodeRole;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * The condition behind {@link ConditionalOnNodeRole}.
 */
class OnNodeRoleCondition extends SpringBootCondition {

	@Override
	public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
		NodeRole required = metadata.getAnnotations().get(ConditionalOnNodeRole.class).getEnum("value", NodeRole.class);
		NodeRole configured = Binder.get(context.getEnvironment())
			.bind("cluster.role", NodeRole.class)
			.orElse(NodeRole.ALL);
		boolean matches = switch (required) {
			case SERVER -> configured.servesClients();
			case WORKER -> configured.runsTasks();
			case ALL -> configured == NodeRole.ALL;
		};
		String message = "cluster.role is '" + configured.label() + "'";
		return matches ? ConditionOutcome.match(message + ", which takes on " + required.label() + " duties")
				: ConditionOutcome.noMatch(message + ", which does not take on " + required.label() + " duties");
	}

}
