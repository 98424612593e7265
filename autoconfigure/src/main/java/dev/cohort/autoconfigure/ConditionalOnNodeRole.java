package dev.cohort.autoconfigure;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import dev.cohort.cluster.NodeRole;

import org.springframework.context.annotation.Conditional;

/**
 * Matches when this node's {@code cluster.role} takes on the duties of the given role: a
 * node of role {@code all} takes on both {@code server} and {@code worker} duties. Use it
 * for beans that only servers (serving clients) or only workers (running tasks) need.
 *
 * <pre class="code">
 * &#64;Bean
 * &#64;ConditionalOnNodeRole(NodeRole.WORKER)
 * ReportJob reportJob() { ... }
 * </pre>
 */
@Target({ ElementType.TYPE, ElementType.METHOD })
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Conditional(OnNodeRoleCondition.class)
public @interface ConditionalOnNodeRole {

	/**
	 * The role whose duties the node must take on.
	 * @return the role
	 */
	NodeRole value();

}
